"""chainrule's scalar automatic-differentiation engine.

Read it in this order: ``value.py`` (the node), ``rules.py`` (every derivative), ``backprop.py``
(the topological order and the chain rule). The rest builds on those three.

>>> from autograd import Value
>>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.data, a.grad, b.grad, c.grad
(33.0, 3.0, 6.0, 9.0)
"""

from __future__ import annotations

from .backprop import topological_order
from .checks import check_finite, describe, finite_float, shorten, to_float
from .compile import compile
from .defop import apply, defop
from .errors import (
    AnomalyError,
    DerivativeMismatch,
    DivisionByZeroError,
    DomainError,
    FloatOverflowError,
    GradcheckError,
)
from .files import read_bounded, write_atomically
from .forward_mode import hvp, jvp
from .functional import grad, gradients, hessian, value_and_grad
from .gradcheck import gradcheck, gradcheck_report
from .handcheck import check_derivatives, check_derivatives_report
from .modes import TracingError, detect_anomaly, no_grad
from .ops import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    cos,
    cosh,
    dot,
    dot_of_values,
    exp,
    expm1,
    leaky_relu,
    log,
    log1p,
    log2,
    log10,
    relu,
    sigmoid,
    sin,
    sinh,
    softplus,
    sqrt,
    sum,
    tan,
    tanh,
)
from .parse import parse
from .rules import PRIMITIVES, Primitive
from .syntax import ParseError
from .value import Parameter, Value, is_constant

__all__ = [
    "AnomalyError",
    "DerivativeMismatch",
    "DivisionByZeroError",
    "DomainError",
    "FloatOverflowError",
    "GradcheckError",
    "PRIMITIVES",
    "Parameter",
    "ParseError",
    "Primitive",
    "TracingError",
    "Value",
    "acos",
    "acosh",
    "apply",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "check_derivatives",
    "check_derivatives_report",
    "check_finite",
    "compile",
    "cos",
    "cosh",
    "defop",
    "describe",
    "detect_anomaly",
    "dot",
    "dot_of_values",
    "exp",
    "expm1",
    "finite_float",
    "grad",
    "gradcheck",
    "gradcheck_report",
    "gradients",
    "hessian",
    "hvp",
    "is_constant",
    "jvp",
    "leaky_relu",
    "log",
    "log10",
    "log1p",
    "log2",
    "no_grad",
    "parse",
    "read_bounded",
    "relu",
    "shorten",
    "sigmoid",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "sum",
    "tan",
    "tanh",
    "to_float",
    "topological_order",
    "value_and_grad",
    "write_atomically",
]
__version__ = "0.2.0"
