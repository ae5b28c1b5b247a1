"""Checked statements compiled to steps: one step per distinct computation, each with its label.

``Compiler`` walks each statement's tree (checked node by node by ``syntax.check``) without
recursion, and gives the same computation written twice the same step, so a graph shows the
fan-out the math has. Labels are the subexpression's text, normalised so that ``+`` and ``-``
are spaced and the tighter operators are not.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Union

from .syntax import BINOPS, CONSTANTS, check, number, reject, segment

# Precedence levels for the normalised labels (higher binds tighter).
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5
_PRECEDENCE = {"+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "**": _POW}

#: An input of a step: the index of an earlier step, or ("num", x), a number made a fresh constant.
Ref = Union[int, tuple[str, float]]


@dataclass
class Step:
    """One node of the program: a variable's leaf, or ``op`` applied to ``inputs``."""

    op: str  # "var" for a variable's leaf, "num" for a named number, else "+", "neg", "sigmoid", ...
    inputs: tuple[Ref, ...]  # for "var", empty (the variable is ``label``); for "num", its number
    label: str
    text: str  # the step's source text, for messages


class Compiler:
    """Turns each statement's checked tree into steps, one step per distinct computation."""

    def __init__(self, text: str, assigned: list[str | None]) -> None:
        self.text = text
        self.steps: list[Step] = []
        self.names: dict[str, int] = {}  # each assigned name and the step it names
        self.known: dict[tuple[Any, ...], int] = {}  # (op, inputs) or ("var", name) -> step
        self.later = set(assigned)  # the names not assigned yet

    def statement(self, name: str | None, expr: ast.expr, whole: ast.stmt) -> int:
        """The step of the statement ``name = expr`` (or of the output ``expr``), labelled ``name``."""
        if name in self.names:
            reject(f"{name} is assigned twice; give each statement its own name", whole, self.text)
        ref, _, _ = self.expression(expr)
        if isinstance(ref, tuple):  # "c = 2", or a number as the output: a leaf of its own, a constant
            ref = self._add(("num", ref[1], name), Step("num", (ref,), name or "", segment(self.text, expr)))
        elif name is not None and self.steps[ref].op != "var" and self.steps[ref].label not in self.names:
            self.steps[ref].label = name  # (a leaf keeps its name: ``u = a`` is a second name for a)
        if name is not None:
            self.names[name] = ref
            self.later.discard(name)
        return ref

    def expression(self, tree: ast.expr) -> tuple[Ref, str, int]:
        """The step (or number) that computes ``tree``, with its normalised text and precedence."""
        done: list[tuple[Ref, str, int]] = []  # (ref, text, precedence) of each finished subtree
        stack: list[tuple[ast.AST, bool]] = [(tree, False)]
        while stack:
            node, finished = stack.pop()
            if not finished:
                children = check(node, self.text)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children))
                continue
            if isinstance(node, ast.Constant):
                x = number(node, self.text)
                done.append((("num", x), repr(node.value), _ATOM))
            elif isinstance(node, ast.Name):
                done.append((self._name(node), node.id, _ATOM))
            elif isinstance(node, ast.UnaryOp):
                if isinstance(node.op, ast.USub):  # unary plus makes no node: ``+a`` is ``a``
                    ref, text, prec = done.pop()
                    text = "-" + _wrap(text, prec < _UNARY)
                    done.append((self._op("neg", (ref,), text, node), text, _UNARY))
            elif isinstance(node, ast.BinOp):
                symbol = BINOPS[type(node.op)]
                prec = _PRECEDENCE[symbol]
                (right, rtext, rprec), (left, ltext, lprec) = done.pop(), done.pop()
                if prec == _POW:  # right-associative, and binds tighter than a unary minus on its left
                    text = _wrap(ltext, lprec <= _POW) + "**" + _wrap(rtext, rprec < _UNARY)
                else:
                    sep = f" {symbol} " if prec == _ADD else symbol
                    text = _wrap(ltext, lprec < prec) + sep + _wrap(rtext, rprec <= prec)
                done.append((self._op(symbol, (left, right), text, node), text, prec))
            else:  # ast.Call, checked by syntax.check
                n = len(node.args)  # type: ignore[attr-defined]
                args = done[len(done) - n :]
                del done[len(done) - n :]
                fname = node.func.id  # type: ignore[attr-defined]
                text = f"{fname}({', '.join(t for _, t, _ in args)})"
                done.append((self._op(fname, tuple(r for r, _, _ in args), text, node), text, _ATOM))
        return done[0]

    def _name(self, node: ast.Name) -> Ref:
        name = node.id
        if name in self.names:
            return self.names[name]
        if name in self.later:
            reject(f"{name} is used before it is assigned; assign it in an earlier statement", node, self.text)
        if name in CONSTANTS:
            return ("num", CONSTANTS[name])
        return self._add(("var", name), Step("var", (), name, name))

    def _op(self, op: str, inputs: tuple[Ref, ...], text: str, node: ast.AST) -> int:
        return self._add((op, inputs), Step(op, inputs, text, segment(self.text, node)))

    def _add(self, key: tuple[Any, ...], step: Step) -> int:
        if key not in self.known:
            self.known[key] = len(self.steps)
            self.steps.append(step)
        return self.known[key]


def _wrap(text: str, needed: bool) -> str:
    return f"({text})" if needed else text
