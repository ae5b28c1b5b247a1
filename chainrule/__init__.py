"""The ``chainrule`` command: the value and derivatives of an expression, from the shell.

It sits on top of the engine (``autograd``) and the drawings (``viz``); ``python -m chainrule``
and the ``chainrule`` console script both run ``chainrule.cli.main``.
"""

from __future__ import annotations

from autograd import __version__

__all__ = ["__version__"]
