"""chainrule's scalar automatic-differentiation engine.

Read the engine in this order: ``value.py`` (the node, its operators, ``backward()``), ``rules.py``
(every derivative, in one table), ``backprop.py`` (the topological order and the chain rule).
Beside them: ``forwards.py`` (the forwards on floats, with their domain errors), ``functions.py``
(``exp``, ``tanh``, ..., made from the table), ``modes.py`` (``no_grad``, ``detect_anomaly``),
``errors.py`` (every exception). Each further idea has its own sub-package: ``derivatives/``
(``grad``, ``hessian``, ``jvp``, ...), ``checking/`` (``gradcheck``, ``check_derivatives``),
``language/`` (``parse``), ``compile/`` (``compile``). ``autograd.extend`` is for people who add
primitives (``defop``) or build on the engine.

>>> from autograd import Value
>>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.data, a.grad, b.grad, c.grad
(33.0, 3.0, 6.0, 9.0)

Every one-input primitive of the table is also a function here (``autograd.atanh``), and a method
of ``Value`` (``v.atanh()``); the course's are listed in ``__all__``.
"""

from __future__ import annotations

from typing import Any

from . import functions as _functions
from .checking import check_derivatives, check_derivatives_report, gradcheck, gradcheck_report
from .compile import compile
from .derivatives import grad, gradients, hessian, hvp, jvp, value_and_grad
from .errors import DerivativeMismatch, DomainError, GradcheckError, ParseError, TracingError
from .functions import cos, dot, exp, leaky_relu, log, relu, sigmoid, sin, softplus, sqrt, sum, tanh
from .language import parse
from .modes import detect_anomaly, no_grad
from .value import Parameter, Value

__all__ = [
    "DerivativeMismatch",
    "DomainError",
    "GradcheckError",
    "Parameter",
    "ParseError",
    "TracingError",
    "Value",
    "check_derivatives",
    "check_derivatives_report",
    "compile",
    "cos",
    "detect_anomaly",
    "dot",
    "exp",
    "grad",
    "gradcheck",
    "gradcheck_report",
    "gradients",
    "hessian",
    "hvp",
    "jvp",
    "leaky_relu",
    "log",
    "no_grad",
    "parse",
    "relu",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "sum",
    "tanh",
    "value_and_grad",
]
__version__ = "0.3.0"


def __getattr__(name: str) -> Any:
    """The table's other functions (``autograd.atanh``, a ``defop``-free new row's) by name."""
    if name in _functions.UNARY:
        return getattr(_functions, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
