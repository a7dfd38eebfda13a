"""Search of the programme that understands French: stems, accents, synonyms, suggestions.

Why stems: a visitor types "rançongiciels" where the programme says
"rançongiciel", or "attaques" for "attaque". Each word of the indexed text and
of the query goes through the same steps: accents and case folded
(``core.text.fold``), then the Snowball French stemmer (a maintained
implementation of Porter's published algorithm). Folding first keeps both
sides equal whether or not the visitor typed accents.

Why synonyms: the field writes "ransomware" and "rançongiciel", "DPO" and
"DPD" for the same things. ``data/synonyms.txt`` lists such groups, one per
line; an instance may replace it with ``instance/synonyms.txt``. A query
word that belongs to a group matches any member of it.

The index (``Talk.search_text``) is the stems separated by single spaces with
a space at each end; a query word matches a talk whose index holds a word
starting with its stem (``LIKE '% stem%'``). The same SQL runs on SQLite and
PostgreSQL, so both give the same results.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import snowballstemmer
from flask import current_app, has_app_context

from congress.core.text import fold

WORD = re.compile(r"\w+")
SYNONYMS_FILE = Path(__file__).with_name("data") / "synonyms.txt"
MAX_TERMS = 8
MAX_CHUNKS = 24  # words of a query looked at; the form allows 100 characters

# Words too common to narrow a French search; dropped from a query unless the
# query is only such words.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)

_local = threading.local()


def _stemmer() -> snowballstemmer.Stemmer:
    """This thread's French stemmer: a Snowball stemmer object keeps state while it works."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The stem of one folded word ("rancongiciels" -> "rancongiciel")."""
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of ``text``: letters and digits, split on everything else."""
    return WORD.findall(fold(text))


def phrase(text: str) -> str:
    """The stems of ``text`` joined by single spaces: how it is looked for in the index."""
    return " ".join(stem(word) for word in words(text))


def index_text(parts: Iterable[str]) -> str:
    """What ``Talk.search_text`` holds for these parts (title, abstract, names...)."""
    stems = phrase(" ".join(part for part in parts if part))
    return f" {stems} " if stems else ""


class _Titled(Protocol):
    title: str


TitledT = TypeVar("TitledT", bound=_Titled)


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a query and the phrases that satisfy it (itself and its synonyms).

    ``alternatives`` is empty for a word that can match nothing (only
    punctuation, say): the query then finds nothing, as the visitor expects.
    """

    typed: str
    alternatives: tuple[str, ...]


def parse_query(q: str, groups: Sequence[frozenset[str]] | None = None) -> tuple[Term, ...]:
    """The terms of a search; every term must match (AND), any of its alternatives (OR).

    Words that together spell a synonym ("délégué à la protection des
    données") make one term, so the group's other members ("DPO") match it.
    """
    in_force = synonym_groups() if groups is None else groups
    chunks = q.split()[:MAX_CHUNKS]
    terms: list[Term] = []
    start = 0
    while start < len(chunks):
        end, group = _longest_synonym(chunks, start, in_force)
        typed = " ".join(chunks[start:end])
        own = phrase(typed)
        if group:
            terms.append(Term(typed, tuple(sorted(group))))
        elif own not in STOP_WORDS:
            terms.append(Term(typed, (own,) if own else ()))
        start = end
    if not terms:  # only stop words: look for them after all
        terms = [Term(chunk, (phrase(chunk),)) for chunk in chunks]
    unique = {term.alternatives: term for term in reversed(terms)}  # first spelling kept
    return tuple(reversed(unique.values()))[:MAX_TERMS]


def _longest_synonym(
    chunks: Sequence[str], start: int, groups: Sequence[frozenset[str]]
) -> tuple[int, frozenset[str]]:
    """Where the longest synonym starting at ``chunks[start]`` ends, and its group."""
    for end in range(len(chunks), start, -1):
        own = phrase(" ".join(chunks[start:end]))
        for group in groups:
            if own and own in group:
                return end, group
    return start + 1, frozenset()


def like_pattern(alternative: str) -> str:
    """The ``LIKE`` pattern (escape ``\\``) of one alternative: a word starting with it."""
    escaped = alternative.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"% {escaped}%"


def matches(index: str, term: Term) -> bool:
    """``term`` matches the index text ``index``, as the SQL ``LIKE`` does."""
    return any(f" {alternative}" in index for alternative in term.alternatives)


def in_title(title: str, terms: Sequence[Term]) -> int:
    """How many of the terms the title alone matches: the rank of a result."""
    index = index_text([title])
    return sum(1 for term in terms if matches(index, term))


def rank(talks: Sequence[TitledT], terms: Sequence[Term]) -> list[TitledT]:
    """Results best first: more query words in the title, then time order (stable)."""
    return sorted(talks, key=lambda talk: -in_title(talk.title, terms))


def suggestions(terms: Sequence[Term], vocabulary: Iterable[str], limit: int = 3) -> list[str]:
    """Words of the programme close to the query's, for "did you mean" on no result.

    ``vocabulary`` holds words as the programme writes them (titles, speakers,
    tracks); each query word is replaced by its nearest such word when one is
    close enough, and the whole corrected query is offered.
    """
    by_fold: dict[str, str] = {}
    for word in vocabulary:
        if len(word) > 2:
            by_fold.setdefault(fold(word), word)
    corrected: list[str] = []
    changed = False
    for term in terms:
        folded = fold(term.typed)
        if folded in by_fold:
            corrected.append(term.typed)
            continue
        close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.75)
        if close:
            corrected.append(by_fold[close[0]])
            changed = True
        else:
            corrected.append(term.typed)
    return [" ".join(corrected)][:limit] if changed else []


def read_groups(text: str) -> tuple[frozenset[str], ...]:
    """Synonym groups from the file format: one group a line, commas between members."""
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        members = frozenset(filter(None, (phrase(member) for member in line.split(","))))
        if len(members) > 1:
            groups.append(members)
    return tuple(groups)


@functools.cache
def _groups_from(path: Path) -> tuple[frozenset[str], ...]:
    return read_groups(path.read_text(encoding="utf-8"))


def synonym_groups() -> tuple[frozenset[str], ...]:
    """The groups in force: the instance's own file when it has one, else the shipped list."""
    if has_app_context():
        own = Path(current_app.instance_path) / "synonyms.txt"
        if own.is_file():
            return _groups_from(own)
    return _groups_from(SYNONYMS_FILE)
