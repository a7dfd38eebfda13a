import pytest

from congress.core.markup import markdown_to_text, render_markdown

pytestmark = pytest.mark.unit


def test_markdown_renders_emphasis_and_lists():
    html = str(render_markdown("**Gras** et\n\n- un\n- deux"))
    assert "<strong>Gras</strong>" in html
    assert "<li>un</li>" in html


def test_raw_html_and_script_are_neutralised():
    html = str(render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">'))
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_links_are_dropped_and_rel_added():
    html = str(render_markdown("[a](javascript:alert(1)) [b](https://apssis.example)"))
    assert 'href="javascript' not in html
    assert 'href="https://apssis.example"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_markdown_to_text_keeps_typed_markup_as_plain_text():
    assert markdown_to_text("**Sécurité** & <b>santé</b>") == "Sécurité & <b>santé</b>"


def test_markdown_source_as_text_keeps_links_and_drops_tags():
    from congress.core.markup import markdown_source_as_text

    source = (
        'Voir [le programme](https://congres.test/programme) <script>alert("x")</script> &amp; vous'
    )
    assert markdown_source_as_text(source) == (
        "Voir [le programme](https://congres.test/programme)  & vous"
    )
