"""autograd/language/text.py: a program's line breaks, and how a message quotes its text."""

from __future__ import annotations

import pytest

from autograd.errors import ParseError
from autograd.language.parse import parse
from autograd.language.text import one_line, quote

# Line breaks: \n, \r\n and \r, as in a Python file; nothing else separates statements.


@pytest.mark.parametrize("separator", ["\n", "\r\n", "\r"])
def test_the_line_breaks_of_a_python_file_separate_statements(separator):
    assert parse(f"u = b*c{separator}J = 3*u", b=3, c=2).data == 18.0


@pytest.mark.parametrize(
    "separator, shown",
    [
        ("\v", "U+000B (a vertical tab)"),
        ("\f", "U+000C (a form feed)"),
        ("\x1c", "U+001C (a file separator)"),
        ("\x1d", "U+001D (a group separator)"),
        ("\x1e", "U+001E (a record separator)"),
        ("\x85", "U+0085 (a next-line character (NEL))"),
        ("\u2028", "U+2028 (a line separator)"),
        ("\u2029", "U+2029 (a paragraph separator)"),
    ],
)
def test_other_line_breaks_are_refused_by_name(separator, shown):
    with pytest.raises(ParseError) as info:
        parse(f"u = b*c{separator}J = 3*u", b=3, c=2)
    message = str(info.value)
    assert message.startswith(f"parse: {shown} at character 8 is not a line break in a program: separate statements")
    assert repr(f"u = b*c{separator}J = 3*u") in message  # shown escaped, on one line
    assert "\n" not in message


def test_a_no_break_space_is_shown_in_the_quote_not_as_a_plain_space():
    with pytest.raises(ParseError) as info:
        parse("a\xa0+ 1", a=1.0)
    assert "in 'a\\xa0+ 1' at column 2: invalid non-printable character U+00A0" in str(info.value)
    assert quote("a\u3000b\n\t c") == "'a\\u3000b c'"


def test_one_line_keeps_what_is_not_a_plain_space() -> None:
    assert one_line("  3 (a\n\t+ 1) ") == "3 (a + 1)"
    assert one_line("a\xa0b\u2028c") == "a\xa0b\u2028c"
    assert quote("x" * 100) == repr("x" * 35 + " ... " + "x" * 20)
