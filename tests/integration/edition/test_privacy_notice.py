"""The privacy notice (GDPR art. 13) states the configured controller and the purge's periods."""

import re
from html.parser import HTMLParser

import pytest

from congress.edition.privacy import INVOICE_RETENTION_YEARS, retention_policy
from congress.registration import retention

pytestmark = pytest.mark.integration

NNBSP = "\u202f"


@pytest.fixture
def configured(app):
    """Unusual values, so that only configuration can put them on the page."""
    app.config.update(
        CONTROLLER_NAME="Association Témoin",
        CONTROLLER_ADDRESS="7 allée des Essais, 99999 Testville",
        PRIVACY_CONTACT="vie-privee@temoin.test",
        DPO_CONTACT="delegue@temoin.test",
        RETENTION_DAYS=417,
        AUDIT_RETENTION_DAYS=203,
        LOG_RETENTION_DAYS=91,
    )
    return app


def _page(client, language: str) -> str:
    response = client.get(f"/privacy?lang={language}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _table(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with ``caption``, each cell as plain text."""
    start = html.index(f"<caption>{caption}</caption>")
    body = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.split(r"</t[hd]>\s*<td>", row)]
        for row in rows
    ]


def test_privacy_notice_names_the_configured_controller_and_contacts(client, configured):
    for language, labels in (
        ("fr", ("Responsable du traitement", "Délégué à la protection des données (DPO)")),
        ("en", ("Data controller", "Data protection officer")),
    ):
        html = _page(client, language)
        assert (
            f"<dt>{labels[0]}</dt>\n"
            "  <dd>Association Témoin, 7 allée des Essais, 99999 Testville</dd>" in html
        )
        assert '<dd><a href="mailto:vie-privee@temoin.test">vie-privee@temoin.test</a></dd>' in html
        assert (
            f'<dt>{labels[1]}</dt>\n  <dd><a href="mailto:delegue@temoin.test">'
            "delegue@temoin.test</a></dd>" in html
        )
        assert "apssis.example" not in html


def test_privacy_notice_gives_each_purpose_its_legal_basis_in_english(client, configured):
    rows = _table(_page(client, "en"), "Purposes and legal bases (GDPR articles 6 and 9)")
    bases = {purpose.split(":")[0].split(",")[0]: basis for purpose, _, basis in rows}
    assert bases == {
        "Managing your registration": (
            "Contract: the registration you ask for and the steps before it (art. 6(1)(b))"
        ),
        "Adapting the welcome to your accessibility or dietary needs": (
            "Your explicit consent (art. 9(2)(a)), given with a box of its own and withdrawn "
            "at any time by clearing these fields"
        ),
        "Checking you in at the welcome desk": "Contract (art. 6(1)(b))",
        "Sending you news of the next editions": (
            "Your consent (art. 6(1)(a)), withdrawn at any time by unticking the box"
        ),
        "Keeping the site secure and every change traceable": (
            "Legitimate interest in the security of the site and the integrity of "
            "registrations (art. 6(1)(f))"
        ),
        "Giving the organisers access to their dashboard": (
            "Legitimate interest in organising the congress (art. 6(1)(f))"
        ),
        "Invoicing": "Legal obligation: accounting and tax law (art. 6(1)(c))",
    }


def test_privacy_notice_gives_each_purpose_its_legal_basis_in_french(client, configured):
    rows = _table(_page(client, "fr"), "Finalités et bases légales (articles 6 et 9 du RGPD)")
    assert [basis for _, _, basis in rows] == [
        f"Contrat{NNBSP}: l'inscription que vous demandez et les mesures qui la précèdent "
        "(art. 6.1.b)",
        "Votre consentement explicite (art. 9.2.a), donné par une case à part et retiré à tout "
        "moment en vidant ces champs",
        "Contrat (art. 6.1.b)",
        "Votre consentement (art. 6.1.a), retiré à tout moment en décochant la case",
        "Intérêt légitime à la sécurité du site et à l'intégrité des inscriptions (art. 6.1.f)",
        "Intérêt légitime à organiser le congrès (art. 6.1.f)",
        f"Obligation légale{NNBSP}: droit comptable et fiscal (art. 6.1.c)",
    ]


def test_privacy_notice_states_the_periods_the_purge_applies(client, configured):
    policy = retention_policy()
    # The purge's own reading of the period, and the notice's, are the configured one.
    assert retention.registration_days() == policy.registration_days == 417
    assert (policy.audit_days, policy.log_days) == (203, 91)
    assert policy.invoice_years == INVOICE_RETENTION_YEARS == 10

    english = {
        row[0]: row[1:]
        for row in _table(_page(client, "en"), "Retention period of each kind of data")
    }
    until = "Until 417 days after the last day of the congress"
    assert english == {
        "Registrations: name, e-mail address, organisation, news choice, billing details": [
            f"{until}, or until you erase them yourself",
            "Erased. What stays, with no name, for the statistics: category, type of "
            "organisation, role, days, language, status, chosen sessions and the dates of "
            "registration.",
        ],
        "Accessibility and dietary needs": [
            f"{until}, or until you clear them",
            "Erased with the registration.",
        ],
        "Check-in records": [
            until,
            "Kept with the erased registration: day and time of arrival, counted with no name.",
        ],
        "Your private links and the e-mails to you, queued or sent": [
            f"{until}, or until you erase your registration",
            "Deleted.",
        ],
        "Audit log": [
            "203 days after each entry",
            "Deleted, oldest entries first; one entry records the deletion, so that the rest "
            "of the log can still be checked.",
        ],
        "Access and security logs of the servers": [
            "91 days",
            "Deleted by the rotation of the server logs.",
        ],
        "Invoices and credit notes: the buyer's name, address and numbers, the attendees "
        "named on their lines, amounts and payments": [
            "10 years after the end of the financial year",
            "Kept whole for the period required by article L123-22 of the French commercial "
            "code, even when the registration itself is erased; neither you nor we can change "
            "or delete an issued invoice before then.",
        ],
        "Organiser accounts": [
            "As long as the person belongs to the organising team",
            "Removed when the person leaves the team.",
        ],
    }
    french = _table(_page(client, "fr"), "Durée de conservation de chaque type de données")
    assert [row[1] for row in french] == [
        "Jusqu'à 417 jours après le dernier jour du congrès, "
        "ou jusqu'à ce que vous les effaciez vous-même",
        "Jusqu'à 417 jours après le dernier jour du congrès, ou jusqu'à ce que vous les effaciez",
        "Jusqu'à 417 jours après le dernier jour du congrès",
        "Jusqu'à 417 jours après le dernier jour du congrès, "
        "ou jusqu'à ce que vous effaciez votre inscription",
        "203 jours après chaque entrée",
        "91 jours",
        "10 ans après la clôture de l'exercice",
        "Tant que la personne fait partie de l'équipe d'organisation",
    ]


def test_privacy_notice_says_how_to_exercise_rights_and_complain(client, configured):
    english = _page(client, "en")
    assert "at the address <code>/r/…/data.json</code> (“Download all my data”)" in english
    assert "the “Edit my details and days” page of your private link" in english
    assert "Erasure: the “Erase my data” page of your private link" in english
    assert (
        'write to <a href="mailto:vie-privee@temoin.test">vie-privee@temoin.test</a> or to our '
        'data protection officer, <a href="mailto:delegue@temoin.test">delegue@temoin.test</a>. '
        "We answer within one month." in english
    )
    assert (
        'online at <a href="https://www.cnil.fr/plaintes">www.cnil.fr/plaintes</a> or by post: '
        "CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07." in english
    )
    french = _page(client, "fr")
    assert (
        f"à l'adresse <code>/r/…/data.json</code> («{NNBSP}Télécharger toutes mes données{NNBSP}»)"
        in french
    )
    assert (
        'en ligne sur <a href="https://www.cnil.fr/plaintes">www.cnil.fr/plaintes</a> ou par '
        f"courrier{NNBSP}: CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07." in french
    )


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.header_cells: list[str | None] = []
        self.captions = 0
        self.styled: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4"}:
            self.headings.append(tag)
        if tag == "th":
            self.header_cells.append(attributes.get("scope"))
        if tag == "caption":
            self.captions += 1
        if "style" in attributes or tag == "style":
            self.styled.append(tag)
        if tag == "script":
            self.scripts += 1


@pytest.mark.parametrize("language", ["fr", "en"])
def test_privacy_notice_structure_is_accessible_and_csp_strict(client, configured, language):
    structure = _Structure()
    html = _page(client, language)
    structure.feed(html[html.index("<main") : html.index("</main>")])
    assert structure.headings == ["h1"] + ["h2"] * 8  # 8th: proposals to the call for papers
    assert structure.captions == 2
    assert structure.header_cells == ["col"] * 3 + ["row"] * 7 + ["col"] * 3 + ["row"] * 8
    assert (structure.styled, structure.scripts) == ([], 0)
