"""Fixtures shared by the command and parser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import autograd
from autograd import rules


@pytest.fixture
def restore_functions() -> Iterator[None]:
    """defop registers globally; put the tables back as they were after the test."""
    functions, primitives = dict(autograd.FUNCTIONS), dict(rules.PRIMITIVES)
    yield
    autograd.FUNCTIONS.clear()
    autograd.FUNCTIONS.update(functions)
    rules.PRIMITIVES.clear()
    rules.PRIMITIVES.update(primitives)
