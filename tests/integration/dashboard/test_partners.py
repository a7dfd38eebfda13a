"""Partners in the dashboard: list, add, edit, delete, logo; administrators and editors only."""

from datetime import date
from io import BytesIO

import pytest
from PIL import Image

from congress.extensions import db
from congress.media.models import MediaImage
from congress.partners.models import Partner, PartnerLevel
from congress.partners.services import PartnerData, create_partner
from tests.factories import make_event
from tests.http import csrf_from, submit
from tests.uploads import post_file

pytestmark = pytest.mark.integration


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def partner(event):
    return create_partner(event, PartnerData(name="Numéria Santé", level=PartnerLevel.GOLD))


def _partners() -> list[tuple[str, str, str, bool]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(Partner).order_by(Partner.id))
    return [(p.name, p.level.value, p.url, p.published) for p in rows]


FORM = {
    "name": "Hexacare Systèmes",
    "level": "platinum",
    "url": "https://hexacare.example",
    "description": "Supervision de sécurité.",
    "description_en": "Security monitoring.",
    "position": "1",
    "published": "y",
}


def test_add_partner_from_the_dashboard(client, login_as, event):
    login_as("editor")

    response = submit(client, "/dashboard/partners", FORM)

    assert response.status_code == 302
    assert _partners() == [("Hexacare Systèmes", "platinum", "https://hexacare.example", True)]
    listing = client.get("/dashboard/partners").get_data(as_text=True)
    assert "Partenaire «\u202fHexacare Systèmes\u202f» ajouté." in listing


def test_add_partner_with_a_javascript_url_is_refused_and_keeps_the_form(client, login_as, event):
    login_as("editor")

    response = submit(client, "/dashboard/partners", {**FORM, "url": "javascript:alert(1)"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Hexacare Systèmes"' in page
    assert 'id="url-error"' in page
    assert _partners() == []


def test_edit_partner_saves_and_redirects(client, login_as, partner):
    login_as("admin")

    response = submit(client, f"/dashboard/partners/{partner.id}", {**FORM, "name": "Numéria"})

    assert response.status_code == 302
    assert _partners() == [("Numéria", "platinum", "https://hexacare.example", True)]


def test_delete_partner(client, login_as, partner):
    login_as("editor")
    token = csrf_from(client.get(f"/dashboard/partners/{partner.id}").get_data(as_text=True))

    response = client.post(f"/dashboard/partners/{partner.id}/delete", data={"csrf_token": token})

    assert response.status_code == 302
    assert _partners() == []


def test_upload_logo_then_remove_it(client, login_as, partner):
    login_as("editor")
    page = f"/dashboard/partners/{partner.id}"
    out = BytesIO()
    Image.new("RGBA", (800, 200), (0, 0, 0, 0)).save(out, "PNG")

    token = csrf_from(client.get(page).get_data(as_text=True))
    sent = post_file(client, f"{page}/image", token, "logo", out.getvalue(), "logo.png")
    db.session.expire_all()
    key = db.session.get(Partner, partner.id).logo_key
    token = csrf_from(client.get(page).get_data(as_text=True))
    removed = client.post(f"{page}/image/delete", data={"csrf_token": token})

    assert (sent.status_code, removed.status_code) == (302, 302)
    assert db.session.scalars(db.select(MediaImage.key)).all() == [key]
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).logo_key is None


def test_upload_svg_logo_is_refused_on_the_page(client, login_as, partner):
    login_as("editor")
    page = f"/dashboard/partners/{partner.id}"
    token = csrf_from(client.get(page).get_data(as_text=True))
    svg = b"<?xml version='1.0'?><svg><script>alert(1)</script></svg>"

    response = post_file(client, f"{page}/image", token, "logo", svg, "logo.png")

    assert response.status_code == 415
    body = response.get_data(as_text=True)
    assert 'id="logo-error"' in body
    assert 'value="Numéria Santé"' in body
    assert db.session.scalar(db.select(db.func.count()).select_from(MediaImage)) == 0


@pytest.mark.parametrize(("role", "status"), [("desk", 403), ("editor", 200), ("admin", 200)])
def test_partners_pages_role_matrix(client, login_as, partner, role, status):
    login_as(role)

    assert client.get("/dashboard/partners").status_code == status
    assert client.get(f"/dashboard/partners/{partner.id}").status_code == status


def test_partner_of_another_edition_is_not_found(client, login_as, event):
    earlier = make_event(first_day=date(2013, 4, 2), last_day=date(2013, 4, 4))
    other = create_partner(earlier, PartnerData(name="Ailleurs", level=PartnerLevel.GOLD))
    login_as("editor")

    assert client.get(f"/dashboard/partners/{other.id}").status_code == 404
