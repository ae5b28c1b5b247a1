"""viz/style.py: how a drawing looks: number formatting, the gradient colour scale, ∂ names, and escaping."""

from __future__ import annotations

import math

import pytest

from viz.style import (
    GRAD_SCALE,
    ROLE_COLORS,
    ROLE_NAMES,
    escape,
    escape_tooltip,
    fmt,
    fmt_factor,
    grad_color,
    partial_of,
)


@pytest.mark.parametrize(
    "x, shown",
    [
        (33.0, "33"),
        (-0.5, "-0.5"),
        (2 / 3, "0.6667"),
        (12345.0, "1.234e4"),
        (1e-7, "1e-7"),
        (-2.5e-12, "-2.5e-12"),
        (1e300, "1e300"),
        (0.0, "0"),
        (-0.0, "0"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, "undefined"),
    ],
)
def test_fmt_shows_at_most_4_significant_digits(x, shown) -> None:
    assert fmt(x) == shown


def test_fmt_factor_puts_negatives_in_parentheses() -> None:
    assert [fmt_factor(x) for x in (3.0, -2.0, 0.0, -0.0, -1e-7)] == ["3", "(-2)", "0", "0", "(-1e-7)"]


@pytest.mark.parametrize(
    "g, color",
    [
        (0.0, "#748ffc"),
        (-5e-7, "#748ffc"),
        (1e-6, "#bac8ff"),
        (-1e-4, "#bac8ff"),
        (0.05, "#e7ecff"),
        (0.1, "#ffffff"),
        (-9.99, "#ffffff"),
        (10.0, "#ffe3e3"),
        (1e5, "#ffa8a8"),
        (-1e6, "#ff6b6b"),
        (math.inf, "#ff6b6b"),
        (math.nan, "#ff6b6b"),
    ],
)
def test_grad_color_scale_from_vanishing_to_exploding(g, color) -> None:
    assert grad_color(g) == color


def test_the_scale_and_the_roles_are_complete() -> None:
    assert [bound for bound, _, _ in GRAD_SCALE] == [1e-6, 1e-3, 1e-1, 1e1, 1e3, 1e6, math.inf]
    assert set(ROLE_COLORS) == set(ROLE_NAMES) == {"input", "parameter", "constant", "computed", "output"}
    assert len(set(ROLE_COLORS.values())) == 5


@pytest.mark.parametrize(
    "name, partial",
    [
        ("u", "∂u"),
        ("w.0", "∂w.0"),
        ("x_1", "∂x_1"),
        ("3", "∂3"),
        ("-2.5", "∂(-2.5)"),
        ("-2", "∂(-2)"),
        ("1e-05", "∂1e-05"),
        ("-1e-7", "∂(-1e-7)"),
        ("a + b*c", "∂(a + b*c)"),
        ("y<2>", "∂(y<2>)"),
        ("-x", "∂(-x)"),
    ],
)
def test_partial_of_parenthesises_compound_names(name, partial) -> None:
    assert partial_of(name) == partial


def test_escape_makes_user_text_literal_in_an_html_like_label() -> None:
    assert escape('<b>{x|y}" & C:\\Net') == "&lt;b&gt;{x|y}&quot; &amp; C:\\\\Net"
    assert escape("two\nlines") == "two<BR/>lines"
    assert escape("tab\there") == "tab here"
    assert escape("bad\x00\x1f\x7f\ud800\ufffe") == "bad\ufffd\ufffd\ufffd\ufffd\ufffd"
    assert escape("'q'") == "&#x27;q&#x27;"


def test_escape_tooltip_survives_quoting_and_dots_backslash_sequences() -> None:
    assert escape_tooltip("a<b\\N") == "a&lt;b\\\\\\\\N"
    assert escape_tooltip("x\ty\x00") == "x y\ufffd"
    assert escape_tooltip("two\nlines") == "two\nlines"  # a tooltip may hold a line break
