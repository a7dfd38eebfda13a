"""The spreadsheet CSV writer: formats per language, local times, formula guard."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from congress.core.spreadsheet import neutralise, sheet_format, write_csv
from congress.registration.models import RegistrationStatus

pytestmark = pytest.mark.unit

PARIS = ZoneInfo("Europe/Paris")
FRENCH = sheet_format("fr", PARIS, yes="Oui", no="Non")
ENGLISH = sheet_format("en", PARIS, yes="Yes", no="No")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Marie", "Marie"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise_prefixes_formula_starts_only(typed, written):
    assert neutralise(typed) == written


def test_french_file_has_bom_semicolons_crlf_and_french_values():
    body = write_csv(
        ["Nom", "Présent", "Inscrit le", "Jour", "Heure", "Rang"],
        [["Curie", True, datetime(2014, 4, 1, 7, 5, tzinfo=UTC), date(2014, 4, 2), time(9, 5), 3]],
        FRENCH,
    )
    assert (
        body
        == (
            "\ufeffNom;Présent;Inscrit le;Jour;Heure;Rang\r\n"
            "Curie;Oui;01/04/2014 09:05;02/04/2014;09:05;3\r\n"
        ).encode()
    )


def test_english_file_has_commas_and_iso_dates_in_the_local_zone():
    body = write_csv(
        ["Name", "Present", "Registered on"],
        [["Curie, Marie", False, datetime(2014, 3, 31, 22, 30, tzinfo=UTC)]],
        ENGLISH,
    )
    assert body.decode("utf-8") == (
        '\ufeffName,Present,Registered on\r\n"Curie, Marie",No,2014-04-01 00:30\r\n'
    )


def test_text_cells_are_neutralised_but_numbers_are_not():
    body = write_csv(["=Header"], [["=1+1"], [-5], ["-5"], [None]], FRENCH).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert rows == [["'=Header"], ["'=1+1"], ["-5"], ["'-5"], [""]]


def test_a_separator_or_line_break_inside_a_cell_is_quoted():
    body = write_csv(["A"], [["un; deux\nquatre"]], FRENCH).decode("utf-8")
    assert body == '\ufeffA\r\n"un; deux\nquatre"\r\n'


def test_a_code_is_refused_so_a_label_must_be_given():
    with pytest.raises(TypeError):
        write_csv(["Statut"], [[RegistrationStatus.CONFIRMED]], FRENCH)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        FRENCH.cell(datetime.fromisoformat("2014-04-01T09:00"))
