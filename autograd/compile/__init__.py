"""``autograd.compile``: trace a scalar function once, run its forward and backward pass as generated code."""

from __future__ import annotations

from .compile import compile

__all__ = ["compile"]
