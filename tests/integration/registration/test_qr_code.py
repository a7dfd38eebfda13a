"""The check-in QR code is a standalone SVG document: an <img> and an image viewer show it.

Without the SVG namespace a browser draws nothing in ``<img>`` (natural size 0 x 0) and
viewers refuse the downloaded file; the browser suite checks the natural size.
"""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

from congress.registration import services
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_qr_svg_is_a_namespaced_document_with_a_size(client, app):
    event = make_event()
    category = make_category(event, capacity=5, name="Hôpitaux")
    registration, token = make_registration(event, category, "qr@chu-exemple.fr")
    response = client.get(f"/r/{token}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<?xml")
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SVG_NS}svg"
    assert int(root.get("width")) > 0
    assert int(root.get("height")) == int(root.get("width"))
    assert root.find(f"{SVG_NS}title").text == "Code d'accueil"
    assert services.checkin_code(registration).encode() not in response.data
