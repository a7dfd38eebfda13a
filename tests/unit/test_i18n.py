import pytest
from flask import Flask, render_template_string
from flask_babel import Babel

from congress.i18n import lazy_gettext

pytestmark = pytest.mark.unit


def test_lazy_message_escapes_its_values_in_html():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        message = lazy_gettext("Moved to %(name)s.", name="<script>alert(1)</script>")
        html = render_template_string("{{ message }}", message=message)
        assert html == "Moved to &lt;script&gt;alert(1)&lt;/script&gt;."
        assert str(message) == "Moved to <script>alert(1)</script>."


def test_lazy_message_without_values_is_unchanged():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        assert render_template_string("{{ m }}", m=lazy_gettext("Plain & simple")) == (
            "Plain & simple"
        )
