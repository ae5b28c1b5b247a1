"""Fixtures shared by the command and parser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import autograd
from autograd import rules


@pytest.fixture
def restore_functions() -> Iterator[None]:
    """defop registers globally; put the tables back as they were after the test."""
    primitives = dict(rules.PRIMITIVES)
    yield
    rules.PRIMITIVES.clear()
    rules.PRIMITIVES.update(primitives)
