"""The safe expression language: ``parse("u = b*c; v = a + u; J = 3*v", a=5, b=3, c=2)``.

``syntax.py`` holds the whitelist of what the text may contain and the messages for the rest;
``parse.py`` builds the checked text into a graph of Values, one node per computation.
"""

from __future__ import annotations

from .parse import Program, compile_program, constant_value, parse

__all__ = ["Program", "compile_program", "constant_value", "parse"]
