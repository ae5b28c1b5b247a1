"""Fixtures for the autograd tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import rules


@pytest.fixture
def temporary_op() -> Iterator[Callable[..., Callable[..., object]]]:
    """``defop`` for one test: the ops it adds are removed from the table afterwards.

    ``defop`` changes a global table (``rules.PRIMITIVES``, which the parser reads too), so a test
    that leaves its op behind would leak into every later test.
    """
    added: list[str] = []

    def make(name: str, forward, derivative):
        op = autograd.extend.defop(name, forward, derivative)
        added.append(name)
        return op

    yield make
    for name in added:
        rules.PRIMITIVES.pop(name, None)
