"""Solutions to the "your turn" cells of 04_shallow_network.ipynb. Try first; then look.

In the notebook, ``solutions.show("tanh_derivative")`` prints one of them, and
``tanh_derivative = solutions.tanh_derivative`` uses it in place of yours.
"""

from __future__ import annotations

import inspect

import numpy as np


def tanh_derivative(a):
    """g'(z) for g(z) = tanh(z), written with the layer's output a = tanh(z): 1 - a²."""
    return 1 - a**2


def hidden_backward(W2, dZ2, A1, X):
    """The backward step of the hidden tanh layer: dZ1, dW1 and db1, for all m examples at once."""
    m = X.shape[1]
    dZ1 = np.dot(W2.T, dZ2) * (1 - A1**2)
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return dZ1, dW1, db1


def show(name: str) -> None:
    """Print the solution called ``name``."""
    print(inspect.getsource(globals()[name]))
