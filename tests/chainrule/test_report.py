"""chainrule/report.py: what the command prints, as a table or as JSON, and messages on one line."""

from __future__ import annotations

import io
import json
import sys

import pytest

from chainrule.report import as_json, format_number, one_line, symbols, text


@pytest.fixture
def utf8_stdout(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))


@pytest.mark.parametrize(
    "x, shown",
    [
        (33.0, "33"),
        (-6.0, "-6"),
        (0.1 + 0.2, "0.3"),
        (-0.0, "0"),
        (1e-7, "1e-07"),
        (2e200, "2e+200"),
        (123456789012345.0, "1.23456789012e+14"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
    ],
)
def test_format_number_shows_12_significant_digits(x, shown) -> None:
    assert format_number(x) == shown


def test_one_line_joins_lines_with_semicolons_unless_a_line_ends_a_clause() -> None:
    assert one_line("first\nsecond") == "first; second"
    assert one_line("Stop.\n  next   line\n\n last:") == "Stop. next line; last:"
    assert one_line("a,\nb;\nc") == "a, b; c"
    assert one_line("single") == "single" and one_line("") == ""


def test_symbols_fall_back_to_ascii_where_stdout_cannot_print_them(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert symbols() == ("d", "2")
    assert text("J", 1.0, {"x": 2.0}, {"x": {"x": 0.0}}).splitlines() == [
        "J     = 1", "dJ/dx = 2", "", "Hessian d2J/drow dcolumn:", "   x", "x  0",
    ]  # fmt: skip
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert symbols() == ("∂", "²")
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # in memory, no encoding: any text goes
    assert symbols() == ("∂", "²")


def test_text_is_the_value_then_one_row_per_derivative(utf8_stdout) -> None:
    assert text("L", -6.0, {"a": 4.0, "b": -1.5}, None) == "L     = -6\n∂L/∂a = 4\n∂L/∂b = -1.5"
    assert text("J", 1000.0, {}, None) == "J = 1000"


def test_text_aligns_the_hessian_in_columns(utf8_stdout) -> None:
    assert text("J", 18.0, {"x": 12.0, "y": 9.0}, {"x": {"x": 4.0, "y": 6.0}, "y": {"x": 6.0, "y": 0.0}}) == (
        "J     = 18\n∂J/∂x = 12\n∂J/∂y = 9\n\nHessian ∂²J/∂row ∂column:\n   x  y\nx  4  6\ny  6  0"
    )
    wide = text("J", 0.0, {"a": 0.0, "bb": 0.0}, {"a": {"a": 1.5, "bb": -20.0}, "bb": {"a": -20.0, "bb": 0.0}})
    assert wide.splitlines()[-3:] == ["      a   bb", "a   1.5  -20", "bb  -20    0"]


def test_as_json_has_full_precision_and_null_for_inf_and_nan() -> None:
    document = json.loads(as_json("a/b", "J", float("inf"), {"a": 0.1 + 0.2, "b": float("nan")}, None, None))
    assert document == {
        "expression": "a/b",
        "name": "J",
        "value": None,
        "gradient": {"a": 0.30000000000000004, "b": None},
    }
    document = json.loads(as_json("x*x", "L", 9.0, {"x": 6.0}, {"x": {"x": float("-inf")}}, (False, "the table")))
    assert list(document) == ["expression", "name", "value", "gradient", "hessian", "gradcheck"]
    assert document["hessian"] == {"x": {"x": None}}
    assert document["gradcheck"] == {"passed": False, "report": "the table"}
    assert '"μ": 2.0' in as_json("μ*2", "J", 2.0, {"μ": 2.0}, None, None)  # not escaped to \\u03bc
