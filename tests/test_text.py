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
