"""Loss functions on the scalar engine: how wrong one prediction is, as a Value to backpropagate.

Each loss takes ONE example: a prediction and its label, each a Value or a plain number. Like
the engine's functions, given only plain numbers a loss returns a plain float. A label given as
a plain number is checked (0..1, or ±1 for ``hinge``); one given as a Value is taken as it is,
so that a loss can be differentiated by its label too (``gradcheck`` does). For a batch,
average the per-example losses with ``mean`` (one fused node)::

    J = mean([hinge(model(x), y) for x, y in zip(X, Y)]) + 1e-4 * l2(model.parameters())
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from autograd import DomainError, Value, dot, log, relu, softplus
from autograd import sum as vsum
from autograd.extend import describe, to_float

from .checks import parameter_list

Operand = Any  # a Value or a real number


def _number(x: Operand, where: str) -> float:
    return x.data if isinstance(x, Value) else to_float(x, where)


def binary_cross_entropy(y_hat: Operand, y: Operand) -> Any:
    """The course's logistic loss ``L(ŷ, y) = −(y log ŷ + (1−y) log(1−ŷ))``.

    Args:
        y_hat: the predicted probability, strictly between 0 and 1; exactly 0 or 1 only where the
            plain label drops the log it would make infinite (``ŷ = 1`` with ``y = 1``).
        y: the label, between 0 and 1 (usually exactly 0 or 1). When it is a plain 0 or 1 the
            term it multiplies by zero is left out, so ``ŷ = 1`` with ``y = 1`` costs exactly 0.

    Raises:
        autograd.DomainError: ``ŷ`` is outside [0, 1], or makes a needed log infinite. If ``ŷ`` comes from
            ``sigmoid(z)``, use ``bce_with_logits(z, y)``, which never does.

    >>> round(binary_cross_entropy(0.8, 1), 6), round(binary_cross_entropy(0.8, 0), 6)
    (0.223144, 1.609438)
    """
    p = _number(y_hat, "binary_cross_entropy y_hat")
    label = _number(y, "binary_cross_entropy y")
    plain_label = not isinstance(y, Value)
    if plain_label and not 0.0 <= label <= 1.0:
        raise ValueError(f"binary_cross_entropy: label y={label!r} is outside [0, 1]; labels are 0 or 1")
    if not 0.0 <= p <= 1.0:  # also catches NaN
        raise DomainError(
            f"binary_cross_entropy: y_hat={p!r} is not a probability; y_hat must be strictly between 0 and 1 "
            "(if it is a raw score z, use bce_with_logits(z, y), or pass sigmoid(z))"
        )
    need_log_p = not (plain_label and label == 0.0)
    need_log_1mp = not (plain_label and label == 1.0)
    if (need_log_p and not p > 0.0) or (need_log_1mp and not p < 1.0):
        raise DomainError(
            f"binary_cross_entropy: y_hat={p!r} with label y={label!r} takes the log of "
            f"{p if need_log_p and not p > 0.0 else 1.0 - p!r}; y_hat must be strictly between 0 and 1 "
            "(if it is sigmoid(z), use bce_with_logits(z, y), which is finite for any z)"
        )
    if not need_log_1mp:
        return -log(y_hat)
    if not need_log_p:
        return -log(1.0 - y_hat)
    return -(y * log(y_hat) + (1.0 - y) * log(1.0 - y_hat))


def bce_with_logits(z: Operand, y: Operand) -> Any:
    """``binary_cross_entropy(sigmoid(z), y)`` computed from the logit ``z``, finite for any ``z``.

    Written as ``softplus(z) − z·y``: algebraically the same loss, but ``softplus`` never takes
    the log of 0 or the exp of a large number. Its derivative is ``sigmoid(z) − y = a − y``,
    the course's ``dz``.

    >>> bce_with_logits(0.0, 1)
    0.6931471805599453
    >>> bce_with_logits(1000.0, 1), bce_with_logits(-1000.0, 1)
    (0.0, 1000.0)
    """
    label = _number(y, "bce_with_logits y")
    _number(z, "bce_with_logits z")
    if not isinstance(y, Value):
        if not 0.0 <= label <= 1.0:
            raise ValueError(f"bce_with_logits: label y={label!r} is outside [0, 1]; labels are 0 or 1")
        # softplus(-z) is softplus(z) - z without the cancellation when z is large.
        if label == 1.0:
            return softplus(-z)
        if label == 0.0:
            return softplus(z)
    return softplus(z) - z * y


def mse(y_hat: Operand, y: Operand) -> Any:
    """The squared error ``(ŷ − y)²`` of one example; ``mean`` of these is the mean squared error.

    >>> mse(2.5, 1.0)
    2.25
    """
    _number(y_hat, "mse y_hat")
    _number(y, "mse y")
    d = y_hat - y
    return d * d


def hinge(score: Operand, y: Operand) -> Any:
    """The max-margin loss ``max(0, 1 − y·score)`` for a label ``y`` of −1 or +1.

    Zero once the score is on the right side by a margin of 1; otherwise it grows linearly.

    >>> hinge(0.25, 1), hinge(0.25, -1), hinge(3.0, 1)
    (0.75, 1.25, 0.0)
    """
    label = _number(y, "hinge y")
    _number(score, "hinge score")
    if isinstance(y, Value):
        return relu(1.0 - y * score)
    if label not in (-1.0, 1.0):
        raise ValueError(
            f"hinge: label y={label!r} is not -1 or +1; the hinge loss takes labels ±1 "
            "(turn 0/1 labels into ±1 with 2*y - 1)"
        )
    return relu(1.0 - score) if label == 1.0 else relu(1.0 + score)


def mean(losses: Sequence[Operand]) -> Any:
    """The average of per-example losses: ``J = (1/m) Σ L``, one fused sum node.

    >>> mean([1.0, 2.0, 6.0])
    3.0
    """
    if isinstance(losses, (Value, str, bytes)) or not isinstance(losses, Iterable):
        raise TypeError(
            f"mean takes a list of losses (Values or numbers), one per example, got {describe(losses)}; "
            "for a single loss there is nothing to average: use it as it is"
        )
    losses = list(losses)
    if not losses:
        raise ValueError("mean: got no losses; give at least one example")
    return vsum(losses) * (1.0 / len(losses))


def l2(params: Sequence[Value]) -> Any:
    """The sum of squares ``Σ p²`` (L2 regularization), as ONE fused ``dot`` node.

    >>> from autograd import Parameter
    >>> l2([Parameter(3.0), Parameter(-4.0)]).data
    25.0
    """
    params = parameter_list("l2", params)
    if not params:
        return Value(0.0)  # a model without parameters: a penalty of 0 that backward() accepts
    return dot(params, params)
