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
from .errors import AnomalyError, DivisionByZeroError, DomainError, FloatOverflowError, GradcheckError
from .files import read_bounded, write_atomically
from .functional import grad, gradients, hessian, value_and_grad
from .gradcheck import gradcheck, gradcheck_report
from .modes import TracingError, detect_anomaly, no_grad
from .ops import cos, dot, dot_of_values, exp, leaky_relu, log, relu, sigmoid, sin, softplus, sqrt, sum, tanh
from .parse import parse
from .rules import PRIMITIVES, Primitive
from .syntax import ParseError
from .value import Parameter, Value, is_constant

__all__ = [
    "PRIMITIVES",
    "AnomalyError",
    "DivisionByZeroError",
    "DomainError",
    "FloatOverflowError",
    "GradcheckError",
    "ParseError",
    "Parameter",
    "Primitive",
    "TracingError",
    "Value",
    "apply",
    "check_finite",
    "compile",
    "cos",
    "defop",
    "describe",
    "detect_anomaly",
    "dot",
    "dot_of_values",
    "exp",
    "finite_float",
    "gradcheck",
    "gradcheck_report",
    "gradients",
    "grad",
    "hessian",
    "is_constant",
    "leaky_relu",
    "log",
    "no_grad",
    "parse",
    "read_bounded",
    "relu",
    "shorten",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "sum",
    "tanh",
    "to_float",
    "topological_order",
    "value_and_grad",
    "write_atomically",
]
__version__ = "0.2.0"
