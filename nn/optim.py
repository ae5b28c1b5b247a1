"""Optimizers: after ``backward()`` has filled each parameter's ``grad``, ``step()`` moves it downhill.

The course's gradient descent is ``w := w − α ∂J/∂w``: that is ``SGD(params, lr=α).step()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from autograd import Value

from . import checks


class Optimizer:
    """What every optimizer shares: the parameter list, ``zero_grad()``, and a gradient check."""

    params: list[Value]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0.0 (``backward()`` adds, so do this before each one)."""
        for p in self.params:
            p.grad = 0.0

    def _gradients(self) -> list[float]:
        # Refuse a NaN or infinite gradient before changing anything: it would silently ruin the model.
        grads = [float(p.grad) for p in self.params]
        if not all(map(math.isfinite, grads)):
            i = next(i for i, g in enumerate(grads) if not math.isfinite(g))
            p = self.params[i]
            raise ValueError(
                f"{type(self).__name__}.step: parameter {p.label or i!r} has gradient {grads[i]!r}; "
                "gradients must be finite (look for an overflow in the forward pass, or lower the learning rate)"
            )
        return grads

    def _move_to(self, new: list[float]) -> None:
        """Set every parameter to its new value, or none of them if one would not be finite."""
        for i, x in enumerate(new):
            if not math.isfinite(x):
                p = self.params[i]
                raise ValueError(
                    f"{type(self).__name__}.step: the update would make parameter {p.label or i!r} {x!r} "
                    f"(it is {p.data!r}, its gradient {p.grad!r}); nothing was changed: lower the learning rate"
                )
        for p, x in zip(self.params, new):
            p.data = x


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay (as in PyTorch).

    Each step: ``g = grad + weight_decay·p``; ``v = momentum·v + g``; ``p −= lr·v``.
    ``lr`` is an attribute, so a schedule can change it between steps.

    >>> from autograd import Parameter
    >>> w = Parameter(3.0)
    >>> opt = SGD([w], lr=0.1)
    >>> (w * w).backward()
    >>> opt.step()
    >>> w.data
    2.4
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        self.params = checks.parameters("SGD", params)
        self.lr = checks.real("SGD", "lr", lr, low=0.0, low_open=True)
        self.momentum = checks.real("SGD", "momentum", momentum, low=0.0, high=1.0, high_open=True)
        self.weight_decay = checks.real("SGD", "weight_decay", weight_decay, low=0.0)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter by ``−lr`` times its (momentum-averaged) gradient."""
        lr = checks.real("SGD.step", "lr", self.lr, low=0.0, low_open=True)
        grads = self._gradients()
        if self.weight_decay:
            grads = [g + self.weight_decay * p.data for g, p in zip(grads, self.params)]
        velocity = [self.momentum * v + g for v, g in zip(self.velocity, grads)] if self.momentum else grads
        self._move_to([p.data - lr * v for p, v in zip(self.params, velocity)])
        if self.momentum:
            self.velocity = velocity


class Adam(Optimizer):
    """Adam: per-parameter steps scaled by running averages of the gradient and its square.

    ``m = β1·m + (1−β1)·g``, ``v = β2·v + (1−β2)·g²``, bias-corrected by ``1 − βᵗ``, then
    ``p −= lr·m̂ / (√v̂ + eps)``. The first step moves each parameter by about ``lr``.

    >>> from autograd import Parameter
    >>> w = Parameter(3.0)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).backward()
    >>> opt.step()
    >>> round(w.data, 9)
    2.9
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: Sequence[float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.params = checks.parameters("Adam", params)
        self.lr = checks.real("Adam", "lr", lr, low=0.0, low_open=True)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, Sequence) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2) like (0.9, 0.999), got {betas!r}")
        self.betas = (
            checks.real("Adam", "betas[0]", betas[0], low=0.0, high=1.0, high_open=True),
            checks.real("Adam", "betas[1]", betas[1], low=0.0, high=1.0, high_open=True),
        )
        self.eps = checks.real("Adam", "eps", eps, low=0.0, low_open=True)
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter."""
        lr = checks.real("Adam.step", "lr", self.lr, low=0.0, low_open=True)
        grads = self._gradients()
        beta1, beta2 = self.betas
        t = self.t + 1
        m = [beta1 * m + (1.0 - beta1) * g for m, g in zip(self.m, grads)]
        v = [beta2 * v + (1.0 - beta2) * g * g for v, g in zip(self.v, grads)]
        for i, vi in enumerate(v):
            if not math.isfinite(vi):  # g * g overflowed: the parameter would never move again
                p = self.params[i]
                raise ValueError(
                    f"Adam.step: parameter {p.label or i!r} has gradient {grads[i]!r}, whose square overflows "
                    "Adam's running average; nothing was changed (scale the loss down)"
                )
        correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
        self._move_to(
            [
                p.data - lr * (mi / correction1) / (math.sqrt(vi / correction2) + self.eps)
                for p, mi, vi in zip(self.params, m, v)
            ]
        )
        self.t, self.m, self.v = t, m, v
