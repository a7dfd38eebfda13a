"""The partners page, the partners' rules and the demo edition's partners."""

from io import BytesIO

import pytest
from PIL import Image

from congress.audit.models import AuditEntry
from congress.core.errors import DomainError
from congress.extensions import db
from congress.media.images import UnsupportedImage
from congress.media.models import MediaImage
from congress.partners import queries
from congress.partners.models import Partner, PartnerLevel
from congress.partners.services import (
    PartnerData,
    create_partner,
    delete_partner,
    set_partner_logo,
    update_partner,
)
from tests.factories import make_event

pytestmark = pytest.mark.integration


@pytest.fixture
def event(app):
    return make_event()


def _logo(size=(400, 100)) -> bytes:
    out = BytesIO()
    Image.new("RGBA", size, (11, 83, 114, 255)).save(out, "PNG")
    return out.getvalue()


def _add(event, name, level, **values):
    return create_partner(event, PartnerData(name=name, level=level, published=True, **values))


def test_partners_page_lists_published_partners_by_level_in_order(client, event):
    _add(event, "Média Santé", PartnerLevel.MEDIA)
    _add(event, "Or B", PartnerLevel.GOLD, position=2)
    _add(event, "Or A", PartnerLevel.GOLD, position=1)
    _add(event, "Platine", PartnerLevel.PLATINUM, url="https://platine.example")
    create_partner(event, PartnerData(name="Caché", level=PartnerLevel.GOLD, published=False))

    page = client.get("/partenaires").get_data(as_text=True)

    headings = [part.split("</h2>")[0].split(">")[-1] for part in page.split("<h2")[1:]]
    assert headings == ["Partenaires platine", "Partenaires or", "Partenaires médias"]
    names = [part.split("<")[0] for part in page.split('class="partner-logo-text')[1:]]
    assert [n.split(">", 1)[1] for n in names] == ["Platine", "Or A", "Or B", "Média Santé"]
    assert "Caché" not in page
    assert (
        '<a class="external-link" href="https://platine.example" '
        'rel="noopener noreferrer external">Platine'
        '<span class="visually-hidden"> (site externe)</span></a>'
    ) in page


def test_partners_page_without_partners_says_they_are_coming(client, event):
    page = client.get("/partenaires")

    assert page.status_code == 200
    assert "Les partenaires de cette édition seront bientôt annoncés." in page.get_data(
        as_text=True
    )


def test_partners_page_shows_the_english_text_in_english(client, event):
    _add(event, "Numéria", PartnerLevel.GOLD, description="Texte", description_en="Text")

    french = client.get("/partenaires").get_data(as_text=True)
    english = client.get("/partenaires?lang=en").get_data(as_text=True)

    assert '<p class="partner-text">Texte</p>' in french
    assert '<p class="partner-text">Text</p>' in english
    assert "Gold partners" in english


def test_partner_logo_is_shown_with_its_stored_size(client, event):
    partner = _add(event, "Hexa", PartnerLevel.PLATINUM)
    image = set_partner_logo(partner, _logo())

    page = client.get("/partenaires").get_data(as_text=True)

    assert (
        f'<img class="partner-logo-img partner-logo-large" src="/media/{image.key}-large.webp" '
        'alt="" width="400" height="100"'
    ) in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://partner.example",
        "https://",
        "//partner.example",
        "https://partner.example/a b",
    ],
)
def test_create_partner_refuses_a_url_that_is_not_http(event, url):
    with pytest.raises(DomainError) as refused:
        _add(event, "X", PartnerLevel.GOLD, url=url)

    assert refused.value.field == "url"
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Partner)) == 0


def test_partner_changes_are_audited(event):
    partner = _add(event, "Bastion", PartnerLevel.SILVER)
    update_partner(
        partner, PartnerData(name="Bastion", level=PartnerLevel.GOLD, url="http://b.example")
    )
    image = set_partner_logo(partner, _logo())
    delete_partner(partner)

    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.action for e in entries] == [
        "partner.created",
        "partner.updated",
        "partner.logo_set",
        "partner.deleted",
    ]
    assert entries[1].changes == {
        "level": ["silver", "gold"],
        "published": [True, False],
        "url": ["", "http://b.example"],
    }
    assert entries[2].changes == {"logo": [None, image.key]}


def test_set_partner_logo_refuses_svg_and_changes_nothing(event):
    partner = _add(event, "Vectoriel", PartnerLevel.GOLD)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'

    with pytest.raises(UnsupportedImage):
        set_partner_logo(partner, svg)

    db.session.rollback()
    assert db.session.get(Partner, partner.id).logo_key is None
    assert db.session.scalar(db.select(db.func.count()).select_from(MediaImage)) == 0


def test_demo_edition_has_published_partners_with_logos(client, demo):
    from congress.edition.queries import current_event

    partners = queries.published_partners(current_event())

    assert [(p.name, p.level.value) for p in partners] == [
        ("Hexacare Systèmes", "platinum"),
        ("Numéria Santé", "gold"),
        ("Bastion Hospitalier", "gold"),
        ("Cryptomed Conseil", "silver"),
        ("Groupement régional e-santé Maine-Loire", "institutional"),
        ("La Gazette du SIH", "media"),
    ]
    assert all(p.logo is not None and p.url.endswith(".example") for p in partners)
    response = client.get(f"/media/{partners[0].logo.key}-small.webp")
    assert response.status_code == 200
    response.close()
