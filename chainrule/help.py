"""The command's ``--help``: its examples and notes, wrapped to the terminal's width.

argparse wraps the options to the terminal (its columns less 2, 80 columns when unknown); the
epilogue here is wrapped the same way: a paragraph is filled, and in the examples each command
stays whole on its lines (continued with a backslash, as a shell reads it), its note beside it
where it fits, else on the next line.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from typing import Any

EXAMPLES = """\
examples:
  chainrule "3*(a + b*c)" a=5 b=3 c=2          value and every partial derivative
  chainrule "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2      the same, its steps named
  chainrule "x*x*y" x=3 y=2 --order 2          ... and the Hessian
  chainrule "sigmoid(w*x + b)" w=0.5 x=2 b=-1 --json
  chainrule "tanh(w*x + b)" w=1 x=2 b=0 --graph neuron.svg --local
  chainrule "3*(a + b*c)" a=5 b=3 c=2 --steps backprop.html
  chainrule "log(x)*sin(x)" x=2 --check        compare with central differences
  chainrule "sin(x)" x=pi/2                    a constant expression as a value
  chainrule "3*(a + b*c)" a=5 b=3 c=2 --expect b=3*c --expect "c = 3*b"   check your own derivation
  chainrule -- "-a*b" a=1 b=2                  an expression that starts with '-'

An expression uses numbers, names, + - * / **, unary minus, parentheses, the constants pi and e,
and the functions {functions} (from Python, main() also sees the primitives you added with
autograd.extend.defop). A program is statements NAME = EXPRESSION separated by ; or line breaks
(a new line: \\n, \\r\\n or \\r; the other characters some editors break lines at, such as
U+2028, are refused), the last one the output; each name labels its node in --graph and --steps,
and a computation written twice is one node. A # starts a comment, to the end of its line.

Bindings NAME=VALUE, before or after the options, give each variable a number or a constant
expression (0.5, -1e-3, pi/2, 2*e, sqrt(2): numbers, pi, e and the functions, no variables); an
expression without variables needs none. pi and e are the constants: they cannot be bound, nor
assigned. Two names that Python reads as one (NFKC: a full-width x is x) are one name. Quote an
--expect with spaces: --expect "b = 3*c".

Numbers are printed with 12 significant digits; --json gives full precision (null for inf/nan).
A derivative that does not exist at the point (sqrt at 0) is printed as undefined, with the reason
(in --json: null, the reason under "undefined"), and the run exits 2 without --check, --expect,
--graph or --steps.

Exit status: 0 ok, 1 --check or --expect found a mismatch, 2 bad input, an undefined derivative or
an unwritable output, 141 when whoever reads the output closes the pipe early (as for any Unix tool).

Limits, so that every run takes seconds and a few hundred MB at most: an expression of at most
10,000 characters, 1,000 operators and brackets 100 deep (comments aside); at most {bindings:,}
bindings; with --order 2 or --check at most {order2} variables, with both at most {check2};
--max-nodes at most {graph_cap:,} for --graph and {steps_cap:,} for --steps.
"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps the description and the epilogue to the help's width (argparse's: the terminal's
    columns less 2, 80 columns when unknown). A paragraph is filled; in a list of examples each
    command stays whole on its line, its note beside it where it fits, else on the next line."""

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any) -> str:
        text = " ".join(super()._format_usage(usage, actions, groups, prefix).split())  # our usage: one line
        return textwrap.fill(text, self._width, subsequent_indent=" " * len("usage: chainrule ")) + "\n\n"

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in text.strip("\n").split("\n\n"):
            lines = block.splitlines()
            if len(lines) > 1 and lines[0].endswith(":") and all(line.startswith("  ") for line in lines[1:]):
                blocks.append("\n".join([lines[0], *_examples(lines[1:], width)]))
            else:
                blocks.append(textwrap.fill(" ".join(block.split()), width, break_on_hyphens=False))
        return "\n\n".join(indent + block for block in blocks)


def _examples(lines: list[str], width: int) -> list[str]:
    pairs = [(re.split(r" {2,}", line.strip(), maxsplit=1) + [""])[:2] for line in lines]
    column = max((len(command) for command, note in pairs if note and len(command) <= 44), default=0) + 4
    result = []
    for command, note in pairs:
        if note and len(command) + 4 <= column and 2 + column + len(note) <= width:
            result.append(f"  {command:<{column}}{note}")
        elif note and 2 + len(command) + 4 + len(note) <= width:
            result.append(f"  {command}    {note}")
        else:
            result += _command_lines(command, width)
            result += textwrap.wrap(note, width, initial_indent=" " * 6, subsequent_indent=" " * 6)
    return result


def _command_lines(command: str, width: int) -> list[str]:
    """A command on lines of at most ``width`` characters where it can be, continued with a
    backslash as a shell reads it (a quoted argument, and an option with its value, stay whole)."""
    words: list[str] = []
    for word in re.findall(r'(?:"[^"]*"|\S)+', command):  # an option stays with its value: --order 2
        if words and words[-1].startswith("--") and " " not in words[-1] and not word.startswith("-"):
            words[-1] += " " + word
        else:
            words.append(word)
    lines, line = [], "  " + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) + 2 > width:
            lines.append(line + " \\")
            line = "      " + word
        else:
            line += " " + word
    return lines + [line]
