"""The exceptions the engine raises, so callers can catch exactly what they mean to."""

from __future__ import annotations


class DomainError(ArithmeticError, ValueError):
    """An operation was asked for a value outside its domain: ``log(-1)``, ``1 / 0``, ``exp(1000)``.

    It is both an ``ArithmeticError`` and a ``ValueError``, so either ``except`` clause catches it.
    """


class AnomalyError(ArithmeticError):
    """Raised inside ``detect_anomaly()`` when an operation first produces NaN or infinity."""


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when analytic and numeric derivatives disagree; the message is a table."""
