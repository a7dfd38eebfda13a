import pytest

from congress.audit.models import AuditEntry
from congress.extensions import db
from tests.conftest import ORGANISER_PASSWORD
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration


def test_dashboard_sends_anonymous_visitors_to_login(client, demo):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/dashboard/")


def test_login_then_dashboard_then_logout(client, demo, login_as):
    login_as("admin")
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Étudiants" in html
    response = client.post("/logout", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_wrong_password_and_unknown_account_answer_alike(client, demo, login_as):
    login_as("desk")
    wrong = submit(client, "/login", {"email": "desk-4@apssis-orga.fr", "password": "nope" * 4})
    unknown = submit(client, "/login", {"email": "nobody@apssis-orga.fr", "password": "nope" * 4})
    assert wrong.status_code == unknown.status_code == 401

    def strip(response):
        html = response.get_data(as_text=True)
        return html.replace("desk-4@apssis-orga.fr", "X").replace("nobody@apssis-orga.fr", "X")

    assert "Adresse e-mail ou mot de passe incorrect." in strip(wrong)
    import re

    token = re.compile(r'value="[^"]{40,}"')
    assert token.sub("", strip(wrong)) == token.sub("", strip(unknown))
    actions = list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("login.failed") == 2


def test_logout_needs_csrf(client, demo, login_as):
    login_as("admin")
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leaves_the_site(client, demo, target):
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser

    create_organiser("next@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR)
    page = client.get("/login", query_string={"next": target})
    response = client.post(
        "/login",
        query_string={"next": target},
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "email": "next@apssis-orga.fr",
            "password": ORGANISER_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
