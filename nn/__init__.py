"""chainrule's neural networks: neurons, MLPs and logistic regression on the scalar engine, plus
losses, optimizers, a vectorized numpy path in the course's notation, and small datasets.

>>> import nn
>>> model = nn.MLP(2, [16, 16, 1], seed=0)
>>> model
MLP(2 -> [16 relu, 16 relu, 1 linear], 337 parameters)
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1)
>>> loss = nn.losses.hinge(model([0.5, -1.0]), 1)
>>> opt.zero_grad(); loss.backward(); opt.step()
"""

from __future__ import annotations

from . import datasets, losses, optim, vectorized
from .layers import MLP, Layer, Neuron
from .logistic import LogisticRegression
from .module import Module
from .state import StateError

__all__ = [
    "MLP",
    "Layer",
    "LogisticRegression",
    "Module",
    "Neuron",
    "StateError",
    "datasets",
    "losses",
    "optim",
    "vectorized",
]
