"""Derivatives of functions: ``grad``, ``value_and_grad``, ``hessian`` and ``gradients`` (reverse
mode, ``reverse_mode.py``); ``jvp`` and ``hvp`` (forward mode, ``forward_mode.py``)."""

from __future__ import annotations

from .forward_mode import hvp, jvp
from .reverse_mode import grad, gradients, hessian, value_and_grad

__all__ = ["grad", "gradients", "hessian", "hvp", "jvp", "value_and_grad"]
