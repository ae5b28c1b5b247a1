"""chainrule/help.py: the --help epilogue, wrapped to the terminal's width."""

from __future__ import annotations

import pytest

from chainrule.cli import main
from chainrule.help import HelpFormatter


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("columns", [None, "50", "60", "100", "132"])
def test_help_is_wrapped_to_the_terminal_width(capsys, monkeypatch, columns):
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)  # not a terminal under pytest: 80 columns
    else:
        monkeypatch.setenv("COLUMNS", columns)
    width = int(columns or 80)
    code, out, _ = run(capsys, "--help")
    lines = out.splitlines()
    assert code == 0 and max(len(line) for line in lines) <= width
    assert max(len(line) for line in lines) > width - 12  # the width is used, not a narrower one
    assert "sqrt tan tanh" in " ".join(" ".join(lines).split())  # wrapped, nothing lost


def test_a_long_example_is_continued_with_a_backslash() -> None:
    text = 'examples:\n  chainrule "3*(a + b*c)" a=5 b=3 c=2 --expect b=3*c --expect "c = 3*b"   check it'
    lines = HelpFormatter("chainrule")._fill_text(text, 50, "").splitlines()
    assert lines == [
        "examples:",
        '  chainrule "3*(a + b*c)" a=5 b=3 c=2 \\',
        '      --expect b=3*c --expect "c = 3*b"',
        "      check it",
    ]
