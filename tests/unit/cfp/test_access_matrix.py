"""Who sees what of a proposal: ``confidentiality.access`` over every combination of facts,
and when a reviewer counts as working where a speaker does."""

from __future__ import annotations

import itertools

import pytest

from congress.accounts.models import Role
from congress.accounts.permissions import MATRIX, Permission
from congress.cfp.confidentiality import Access, access, same_organisation

pytestmark = pytest.mark.unit

FACTS = ("manages", "reviews", "edits_programme", "restricted", "assigned", "conflicted")


def expected(facts: dict[str, bool]) -> Access:
    """The rule as the issue states it, read top to bottom."""
    # Administrators run the committee: everything, whatever the label or conflicts.
    if facts["manages"]:
        return Access.FULL
    # A reviewer sees the proposals assigned to them, in full, unless in conflict;
    # any other proposal does not exist for them.
    if facts["reviews"]:
        return Access.FULL if facts["assigned"] and not facts["conflicted"] else Access.NONE
    # Programme editors follow the proposals: an AMBER/RED one by its title only.
    if facts["edits_programme"]:
        return Access.TITLE if facts["restricted"] else Access.FULL
    return Access.NONE


@pytest.mark.parametrize(
    "values",
    list(itertools.product((False, True), repeat=len(FACTS))),
    ids=lambda values: (
        "-".join(name for name, on in zip(FACTS, values, strict=True) if on) or "nothing"
    ),
)
def test_access_for_every_combination_of_facts(values: tuple[bool, ...]):
    facts = dict(zip(FACTS, values, strict=True))

    assert access(**facts) is expected(facts)


def test_the_matrix_has_sixty_four_cases_and_uses_every_level():
    answers = [
        access(**dict(zip(FACTS, values, strict=True)))
        for values in itertools.product((False, True), repeat=len(FACTS))
    ]

    assert len(answers) == 64
    assert answers.count(Access.FULL) == 32 + 4 + 4  # admins; reviewers assigned; editors CLEAR
    assert answers.count(Access.TITLE) == 4
    assert answers.count(Access.NONE) == 64 - 44


def _role_facts(role: Role, *, restricted: bool, assigned: bool, conflicted: bool) -> Access:
    granted = MATRIX[role]
    return access(
        manages=Permission.MANAGE_CFP in granted,
        reviews=Permission.REVIEW_PROPOSALS in granted,
        edits_programme=Permission.EDIT_PROGRAMME in granted,
        restricted=restricted,
        assigned=assigned,
        conflicted=conflicted,
    )


@pytest.mark.parametrize(
    ("role", "restricted", "assigned", "conflicted", "level"),
    [
        (Role.ADMIN, True, False, False, Access.FULL),
        (Role.ADMIN, True, False, True, Access.FULL),
        (Role.REVIEWER, True, True, False, Access.FULL),
        (Role.REVIEWER, False, True, False, Access.FULL),
        (Role.REVIEWER, True, False, False, Access.NONE),
        (Role.REVIEWER, False, False, False, Access.NONE),
        (Role.REVIEWER, True, True, True, Access.NONE),
        (Role.REVIEWER, False, True, True, Access.NONE),
        (Role.EDITOR, True, False, False, Access.TITLE),
        (Role.EDITOR, False, False, False, Access.FULL),
        (Role.DESK, False, False, False, Access.NONE),
        (Role.DESK, True, True, False, Access.NONE),
    ],
)
def test_each_role_through_its_permissions(role, restricted, assigned, conflicted, level):
    facts = {"restricted": restricted, "assigned": assigned, "conflicted": conflicted}

    assert _role_facts(role, **facts) is level


@pytest.mark.parametrize(
    ("mine", "email", "speakers", "same"),
    [
        # The organisations' names folded: case, accents, punctuation, spaces.
        ("CHU de Rennes", "a@gmail.com", [("chu-de-rennes", "b@yahoo.fr")], True),
        ("Hôpital Saint-Éloi", "a@gmail.com", [("  hopital   SAINT eloi ", "b@free.fr")], True),
        ("CHU de Rennes", "a@gmail.com", [("CHU de Nantes", "b@yahoo.fr")], False),
        # The same employer's domain, whatever the case.
        ("", "alice@CHU-Rennes.fr", [("", "bob@chu-rennes.fr")], True),
        ("ANSSI", "alice@ssi.gouv.fr", [("Autre", "bob@ssi.gouv.fr")], True),
        ("", "alice@chu-rennes.fr", [("", "bob@chu-nantes.fr")], False),
        # A public mail provider says nothing of an employer.
        ("", "alice@gmail.com", [("", "bob@gmail.com")], False),
        ("", "alice@GMAIL.com", [("", "bob@gmail.com")], False),
        ("", "alice@protonmail.com", [("", "bob@protonmail.com")], False),
        # No organisation on either side is no match.
        ("", "alice@gmail.com", [("", "bob@outlook.fr")], False),
        ("", "", [("", "")], False),
        # Any one speaker is enough.
        (
            "Clinique du Parc",
            "a@gmail.com",
            [("CHU de test", "s@chu.fr"), ("clinique du parc", "c@gmail.com")],
            True,
        ),
        ("Clinique du Parc", "a@gmail.com", [], False),
    ],
)
def test_same_organisation(mine, email, speakers, same):
    assert same_organisation(mine, email, speakers) is same
