"""Learner and instructor text shows as text: Markdown works, HTML and script never run."""

import pytest

from helpers.text import markdown_html, plain_html

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//example.org></iframe>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_raw_html_is_escaped(attack):
    out = markdown_html(f"Before {attack} after")
    for tag in ("<script", "<img", "<iframe", "<a href"):
        assert tag not in out
    assert "&lt;" in out


def test_markdown_still_works():
    out = markdown_html("**bold** and *italic* and [a link](https://example.org)")
    assert "<strong>bold</strong>" in out and "<em>italic</em>" in out
    assert '<a href="https://example.org">a link</a>' in out


def test_javascript_links_in_markdown_are_neutralised():
    assert "javascript:" not in markdown_html("[click](javascript:alert(1))")


def test_plain_html_escapes_and_keeps_line_breaks():
    assert plain_html("a <b>\nc") == "a &lt;b&gt;<br>c"
    assert plain_html(None) == "" and markdown_html(None) == ""


def test_is_blank_sees_invisible_text_as_nothing():
    from helpers.text import is_blank

    for text in ("", None, " \n\t", "\u200b", "\u200c\u200d\u2060\ufeff\u00ad", "\u3164\u2800",
                 "\u00a0\u202f\u3000", "\x00\x1b"):
        assert is_blank(text), repr(text)
    for text in ("a", "\u200ba", "0", "北", "—", "\u0301x"):
        assert not is_blank(text), repr(text)
