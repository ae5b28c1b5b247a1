"""save_backprop_html as a file: one self-contained page with a frame and a caption per step."""

from __future__ import annotations

import html
import re

import viz
from autograd import Value, topological_order


def test_page_has_every_frame_with_its_caption(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "replay.html").read_text(encoding="utf-8")
    frames = re.findall(r'<figure class="frame" id="frame-(\d+)" data-step="\1"( hidden)?>', page)
    assert [int(k) for k, _ in frames] == list(range(len(topological_order(course.J)) + 1))
    assert [hidden for _, hidden in frames] == [""] + [" hidden"] * 7  # only the forward pass shows at first
    assert page.count("<svg") == page.count("</svg>") == 8
    formulas = [html.unescape(f) for f in re.findall(r'<p class="formula">(.*?)</p>', page)]
    assert formulas == viz.backprop_captions(course.J)
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6" in formulas
    assert 'max="7"' in page and "step 0 of 7" in page


def test_page_is_self_contained(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page  # each SVG inlined without its prologue
    for loader in ("<link", " src=", "@import", "url(", "@font-face", "<iframe", "fetch("):
        assert loader not in page, loader
    # The only URLs are XML namespace names inside the SVG, which nothing downloads.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "default-src 'none'" in page  # and the page's policy forbids loading anything anyway


def test_user_text_is_escaped_in_captions_and_pictures(tmp_path, dot_program, read_svg):
    tricky = '<b>{x|y}"</b><script>alert(1)</script>'
    x = Value(2.0, label=tricky)
    y = x * 3
    y.label = "y"
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<b>{x|y}" not in page
    assert f"∂y/∂({html.escape(tricky)}) = ∂y/∂y · ∂y/∂({html.escape(tricky)}) = 1 · 3 = 3" in page
    first_svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert tricky in read_svg(first_svg).texts


def test_a_label_with_line_breaks_cannot_inject_dot(tmp_path, dot_program, read_svg):
    """Each frame's caption is its DOT comment, one "//" line: a label's newline must not end it."""
    payload = 'a\ndigraph{x[label="Click" URL="javascript:alert(1)"]}/*'
    x = Value(2.0, label=payload)
    y = x * Value(-3.0, label="b")
    for frame in viz.backprop_frames(y):
        assert frame.source.startswith("// ") and frame.source.splitlines()[1] == "digraph {"  # a one-line comment
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert not re.search(r"href=\"\s*javascript:", page)  # the text may show, never as a link
    first_svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert 'digraph{x[label="Click" URL="javascript:alert(1)"]}/*' in read_svg(first_svg).texts  # drawn as text


def test_title_defaults_to_the_output_and_can_be_given(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<title>Backpropagation, step by step: the gradient of J</title>" in page
    page = viz.save_backprop_html(course.J, tmp_path / "b.html", title="J = 3(a + bc) & friends").read_text(
        encoding="utf-8"
    )
    assert "<h1>J = 3(a + bc) &amp; friends</h1>" in page
