"""Solutions to the "your turn" cells of 05_deep_network.ipynb. Try first; then look.

In the notebook, ``solutions.show("relu_backward")`` prints one of them, and
``relu_backward = solutions.relu_backward`` uses it in place of yours.
"""

from __future__ import annotations

import inspect

import numpy as np


def relu_backward(dA, Z):
    """dZ = dA * g'(Z) for g = relu: g'(Z) is 1 where Z > 0 and 0 elsewhere (the course takes 0 at Z = 0)."""
    return dA * (Z > 0)


def linear_backward(dZ, A_prev, W):
    """One layer's backward step for all m examples: dA_prev, dW and db from dZ (the course's, with its cache unpacked)."""
    m = A_prev.shape[1]
    dA_prev = np.dot(W.T, dZ)
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return dA_prev, dW, db


def show(name: str) -> None:
    """Print the solution called ``name``."""
    print(inspect.getsource(globals()[name]))
