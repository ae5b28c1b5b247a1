"""chainrule's scalar automatic-differentiation engine.

>>> from autograd import Value
>>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.data, a.grad, b.grad, c.grad
(33.0, 3.0, 6.0, 9.0)
"""

from __future__ import annotations

# ``functions`` is imported first: ``value`` -> ``rules`` -> ``functions`` is a cycle that only
# resolves in this order (the rules are written with the engine's own functions).
from .functions import (
    FUNCTIONS,
    apply,
    cos,
    defop,
    dot,
    exp,
    leaky_relu,
    log,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    sum,
    tanh,
)
from .value import Parameter, Value
from .backprop import gradients, topological_order
from .errors import AnomalyError, DomainError, GradcheckError
from .functional import grad, hessian, value_and_grad
from .gradcheck import gradcheck, gradcheck_report
from .parse import ParseError, parse
from .modes import detect_anomaly, no_grad

__all__ = [
    "FUNCTIONS",
    "AnomalyError",
    "DomainError",
    "GradcheckError",
    "ParseError",
    "Parameter",
    "Value",
    "apply",
    "cos",
    "defop",
    "detect_anomaly",
    "dot",
    "exp",
    "gradcheck",
    "gradcheck_report",
    "gradients",
    "grad",
    "hessian",
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
    "topological_order",
    "value_and_grad",
]
__version__ = "0.1.0"
