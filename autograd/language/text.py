"""The text of a program before it is a tree: its line breaks, its comments, and how a message quotes it.

A line break is ``\\n``, ``\\r\\n`` or ``\\r``, as in a Python file; the characters that other
readers take for one are refused, so that a program means the same to every reader.
"""

from __future__ import annotations

import re

from ..errors import ParseError

#: The line breaks of a program, as in a Python source file.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Characters that ``str.splitlines`` or Unicode count as line breaks but Python's parser does not:
#: refused, so that a program means the same to every reader (an editor, Python, this parser).
OTHER_BREAKS = {
    "\v": "a vertical tab", "\f": "a form feed", "\x1c": "a file separator", "\x1d": "a group separator",
    "\x1e": "a record separator", "\x85": "a next-line character (NEL)", "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}  # fmt: skip
_OTHER_BREAK = re.compile("[" + "".join(OTHER_BREAKS) + "]")


def check_line_breaks(expr: str) -> None:
    r"""Raise ``ParseError`` if ``expr`` has a line break other than ``\n``, ``\r\n`` or ``\r``.

    >>> check_line_breaks("u = b*c\r\nJ = 3*u")
    >>> check_line_breaks("u = b*c\u2028J = 3*u")
    Traceback (most recent call last):
    ...
    autograd.errors.ParseError: parse: U+2028 (a line separator) at character 8 is not a line break in a program: separate statements with ; or a new line (\n): 'u = b*c\u2028J = 3*u'
    """
    found = _OTHER_BREAK.search(expr)
    if found:
        ch = found.group()
        raise ParseError(
            f"parse: U+{ord(ch):04X} ({OTHER_BREAKS[ch]}) at character {found.start() + 1} is not a line break "
            f"in a program: separate statements with ; or a new line (\\n): {quote(expr)}"
        )


def without_comments(expr: str) -> str:
    """``expr`` without its comments, for counting; whole if it has a quote, as a ``#`` in a string
    starts no comment (and strings are refused later)."""
    if "'" in expr or '"' in expr:
        return expr
    return _COMMENT.sub("", expr)


_COMMENT = re.compile(r"#[^\r\n]*")


def one_line(text: str) -> str:
    r"""``text`` with each run of spaces, tabs and line breaks made one space; any other character,
    such as a no-break space, is kept, so that ``repr`` shows it.

    >>> one_line("3 (a\n  + 1)"), one_line("a\xa0+ 1")
    ('3 (a + 1)', 'a\xa0+ 1')
    """
    return _WHITESPACE.sub(" ", text).strip(" ")


_WHITESPACE = re.compile(r"[ \t\r\n]+")


def quote(text: str, limit: int = 60) -> str:
    r"""``text`` quoted for a message, on one line, its middle cut when long; characters that look
    like a space but are not (a no-break space) are shown escaped.

    >>> quote("a\xa0+ 1"), quote("x" * 100)
    ("'a\\xa0+ 1'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ... xxxxxxxxxxxxxxxxxxxx'")
    """
    text = one_line(text)
    if len(text) > limit:
        text = text[: limit - 25] + " ... " + text[-20:]
    return repr(text)
