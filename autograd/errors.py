"""Every exception ``autograd`` raises, in one place, so callers can catch exactly what they mean to.

Each class's first line says when it is raised. The engine's own errors are ``DomainError`` and its
two refinements; the others come from the parts built on it (tracing for ``compile``, the
expression language, the derivative checks).
"""

from __future__ import annotations


class DomainError(ArithmeticError, ValueError):
    """Raised when an operation is asked for a value outside its domain: ``log(-1)``, ``1 / 0``, ``exp(1000)``.

    It is both an ``ArithmeticError`` and a ``ValueError``, so either ``except`` clause catches it.
    """


class DivisionByZeroError(DomainError, ZeroDivisionError):
    """Raised for a ``DomainError`` that divides by zero (``1 / 0``, ``0 ** -1``).

    Also a ``ZeroDivisionError``, so code written for floats (``except ZeroDivisionError``) keeps
    working on Values.

    >>> issubclass(DivisionByZeroError, ZeroDivisionError)
    True
    """


class FloatOverflowError(DomainError, OverflowError):
    """Raised for a ``DomainError`` whose result is too large for a float (``exp(1000)``).

    Also an ``OverflowError``.

    >>> issubclass(FloatOverflowError, OverflowError)
    True
    """


class TracingError(TypeError):
    """Raised by ``compile`` when the traced function leaves the graph (``if x > 0``, ``float(x)``).

    A Python branch on a traced Value, or a conversion to a plain number (``math.sin(x)``), would
    keep today's outcome in the compiled code.
    """


class NotTraceable(TypeError):
    """Raised inside ``compile`` when a rule asks for a traced variable's number; never reaches a user.

    ``compile`` then calls that rule at run time instead (a rule with ``float(x)`` or an ``if``).
    """


class ParseError(ValueError):
    """Raised by ``parse`` for text it does not accept; the message quotes the offending part."""


class StepOutsideDomain(DomainError):
    """Raised by ``gradcheck`` when a central-difference step leaves ``f``'s domain.

    ``problem`` says where; the message adds ``advice`` about the arguments of ``gradcheck``, which
    a caller that sets them itself (the ``chainrule`` command) can leave out.
    """

    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(f"{problem}, {advice}")
        self.problem = problem


class AnomalyError(ArithmeticError):
    """Raised inside ``detect_anomaly()`` when an operation first produces NaN or infinity."""


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when analytic and numeric derivatives disagree; the message is a table."""


class DerivativeMismatch(AssertionError):
    """Raised by ``check_derivatives`` when the engine, your formula and central differences disagree.

    The message is a table that says which of the three disagrees.

    An ``AssertionError``, so pytest and hypothesis report it as a failed check.

    >>> issubclass(DerivativeMismatch, AssertionError)
    True
    """


def undefined_derivative(op: str, inputs: list[float], error: BaseException, mode: str = "backward") -> DomainError:
    """The error for a local derivative that cannot be computed in a pass, naming the op and the
    pass (``mode``: ``"backward"``, or ``"jvp"`` for forward mode).

    >>> print(undefined_derivative("sqrt", [0.0], ZeroDivisionError("float division by zero")))
    backward through sqrt(0.0): the local derivative is undefined here: computing it divides by zero (a vertical slope, like sqrt's at 0)
    """
    where = f"{mode} through {op}({', '.join(map(repr, inputs))}): the local derivative"
    if isinstance(error, OverflowError):  # Python's float ** says "(34, 'Numerical result out of range')"
        return FloatOverflowError(f"{where} overflows a float (largest about 1.8e308)")
    if isinstance(error, ZeroDivisionError):  # sqrt at 0, x ** 0.5 at 0: the slope is vertical
        return DivisionByZeroError(
            f"{where} is undefined here: computing it divides by zero (a vertical slope, like sqrt's at 0)"
        )
    return DomainError(f"{where} is undefined ({error})")
