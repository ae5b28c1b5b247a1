"""The MLP benchmark's step written by hand: plain floats with hand-derived gradients, and numpy.

The references that ``mlp.py`` times chainrule against, for MLP(2, [16, 16, 1]) with relu, the
mean hinge loss over the examples + ALPHA * L2 of the parameters, and one SGD step of rate LR.
Parameters come as one flat list, layer by layer, neuron by neuron, weights then bias (the order
of ``nn.MLP.parameters()`` and of micrograd).
"""

from __future__ import annotations

import numpy as np

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4
LR = 0.5


# --- plain floats, gradients by hand -----------------------------------------------------------


def unpack(flat: list[float]) -> list[tuple[list[list[float]], list[float]]]:
    """Split a flat parameter list (layer by layer, neuron by neuron, weights then bias) into (W, b) per layer."""
    layers, i = [], 0
    for nin, nout in zip(SIZES, SIZES[1:]):
        W, b = [], []
        for _ in range(nout):
            W.append(flat[i : i + nin])
            b.append(flat[i + nin])
            i += nin + 1
        layers.append((W, b))
    return layers


def plain_step(flat: list[float], X: list[list[float]], y: list[float]) -> tuple[float, list[float]]:
    """The loss at ``flat`` and the parameters after one SGD step, with hand-derived gradients."""
    (W1, b1), (W2, b2), (W3, b3) = unpack(flat)
    dW1 = [[0.0] * len(row) for row in W1]
    dW2 = [[0.0] * len(row) for row in W2]
    dW3 = [[0.0] * len(row) for row in W3]
    db1, db2, db3 = [0.0] * len(b1), [0.0] * len(b2), [0.0] * len(b3)
    m = len(X)
    data_loss = 0.0
    w3, out_b = W3[0], b3[0]
    for x, t in zip(X, y):
        h1 = [max(sum(w * v for w, v in zip(row, x)) + bj, 0.0) for row, bj in zip(W1, b1)]
        h2 = [max(sum(w * v for w, v in zip(row, h1)) + bj, 0.0) for row, bj in zip(W2, b2)]
        score = sum(w * v for w, v in zip(w3, h2)) + out_b
        margin = 1.0 - t * score
        if margin <= 0.0:
            continue  # hinge is flat here: this example sends no gradient back
        data_loss += margin
        d_score = -t / m  # ∂(margin/m)/∂score
        db3[0] += d_score
        d_h2 = []
        for k, h in enumerate(h2):
            dW3[0][k] += d_score * h
            d_h2.append(d_score * w3[k] if h > 0.0 else 0.0)  # relu passes gradient only where active
        d_h1 = [0.0] * len(h1)
        for j, g in enumerate(d_h2):
            if g == 0.0:
                continue
            db2[j] += g
            row, d_row = W2[j], dW2[j]
            for k, h in enumerate(h1):
                d_row[k] += g * h
                d_h1[k] += g * row[k]
        for j, g in enumerate(d_h1):
            if g == 0.0 or h1[j] <= 0.0:
                continue
            db1[j] += g
            d_row = dW1[j]
            for k, v in enumerate(x):
                d_row[k] += g * v
    loss = data_loss / m + ALPHA * sum(p * p for p in flat)
    grads = []
    for dW, db in ((dW1, db1), (dW2, db2), (dW3, db3)):
        for d_row, d_b in zip(dW, db):
            grads.extend(d_row)
            grads.append(d_b)
    updated = [p - LR * (g + 2.0 * ALPHA * p) for p, g in zip(flat, grads)]
    return loss, updated


# --- numpy -----------------------------------------------------------------------------------


def numpy_step(layers: list[list[np.ndarray]], X: np.ndarray, y: np.ndarray) -> float:
    """Batched over the examples: ``X`` of shape (2, m), ``y`` of shape (1, m); updates ``layers`` in place."""
    (W1, b1), (W2, b2), (W3, b3) = layers
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0.0)
    S = W3 @ A2 + b3
    margin = 1.0 - y * S
    loss = float(np.sum(np.maximum(margin, 0.0)) / m + ALPHA * sum(np.sum(p * p) for layer in layers for p in layer))
    dS = np.where(margin > 0.0, -y / m, 0.0)
    dZ2 = (W3.T @ dS) * (Z2 > 0.0)
    dZ1 = (W2.T @ dZ2) * (Z1 > 0.0)
    grads = [
        (dS @ A2.T, dS.sum(1, keepdims=True)),
        (dZ2 @ A1.T, dZ2.sum(1, keepdims=True)),
        (dZ1 @ X.T, dZ1.sum(1, keepdims=True)),
    ]
    for layer, (dW, db) in zip(layers, reversed(grads)):
        layer[0] -= LR * (dW + 2.0 * ALPHA * layer[0])
        layer[1] -= LR * (db + 2.0 * ALPHA * layer[1])
    return loss


def numpy_layers(flat: list[float]) -> list[list[np.ndarray]]:
    return [[np.array(W), np.array(b).reshape(-1, 1)] for W, b in unpack(flat)]


def numpy_flat(layers: list[list[np.ndarray]]) -> list[float]:
    flat: list[float] = []
    for W, b in layers:
        for row, bj in zip(W.tolist(), b[:, 0].tolist()):
            flat.extend(row)
            flat.append(bj)
    return flat
