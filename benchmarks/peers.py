"""The peers that the benchmarks time chainrule against: JAX (``jit`` of ``value_and_grad``) and
PyTorch (eager), both on the CPU, in float64, on one thread.

Each is imported only when a benchmark asks for it, after the settings that keep it on one thread
(XLA reads ``XLA_FLAGS`` when it starts; torch takes ``set_num_threads``); numpy's BLAS reads
``OMP_NUM_THREADS`` when numpy is imported, so that one goes on the command line. A peer that cannot
be imported comes back as None with the reason, and the benchmark skips it, saying so.

Every step here starts from the same numbers as chainrule's and does what it does: the value, the
gradients and one gradient-descent update, written as a user of that library would write it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from mlp_by_hand import ALPHA, LR, numpy_flat, numpy_layers

#: XLA on one thread: Eigen's thread pool off, one thread for the operations inside a computation.
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


class Peer(NamedTuple):
    """A step of a peer library: ``reset`` (untimed) puts the start weights back, ``step`` is timed,
    ``result`` turns what ``step`` returned into the loss and the flat list of updated parameters."""

    reset: Callable[[], None]
    step: Callable[[], Any]
    result: Callable[[Any], tuple[float, list[float]]]


def load_jax() -> tuple[Any, str]:
    """``jax`` on one CPU thread with float64 on, or None and why not."""
    os.environ.setdefault("XLA_FLAGS", XLA_ONE_THREAD)
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    try:
        import jax
    except ImportError as e:
        return None, f"JAX skipped: it cannot be imported ({e})"
    jax.config.update("jax_enable_x64", True)
    return jax, ""


def load_torch() -> tuple[Any, str]:
    """``torch`` on one thread, or None and why not."""
    try:
        import torch
    except ImportError as e:
        return None, f"torch skipped: it cannot be imported ({e})"
    torch.set_num_threads(1)
    return torch, ""


# --- MLP(2, [16, 16, 1]), mean hinge + ALPHA * L2, one SGD step --------------------------------


def jax_mlp(jax: Any, start: list[float], X: np.ndarray, y: np.ndarray) -> Peer:
    """``jax.jit`` of ``value_and_grad`` of the loss, with the SGD update in the same jitted step.

    ``X`` of shape (2, m) and ``y`` of shape (1, m), as the hand-written numpy takes them."""
    jnp = jax.numpy

    def loss(layers: Any, X: Any, y: Any) -> Any:
        (W1, b1), (W2, b2), (W3, b3) = layers
        A1 = jnp.maximum(W1 @ X + b1, 0.0)
        A2 = jnp.maximum(W2 @ A1 + b2, 0.0)
        S = W3 @ A2 + b3
        return jnp.mean(jnp.maximum(1.0 - y * S, 0.0)) + ALPHA * sum(jnp.sum(p * p) for p in jax.tree.leaves(layers))

    @jax.jit
    def sgd(layers: Any, X: Any, y: Any) -> Any:
        J, grads = jax.value_and_grad(loss)(layers, X, y)
        return J, jax.tree.map(lambda p, g: p - LR * g, layers, grads)

    layers = jax.device_put(numpy_layers(start))
    X, y = jax.device_put(X), jax.device_put(y)

    def step() -> Any:
        return jax.block_until_ready(sgd(layers, X, y))

    def result(out: Any) -> tuple[float, list[float]]:
        J, after = out
        return float(J), numpy_flat([[np.asarray(W), np.asarray(b)] for W, b in after])

    step()  # jit compiles here, untimed
    return Peer(lambda: None, step, result)


def torch_mlp(torch: Any, start: list[float], X: np.ndarray, y: np.ndarray) -> Peer:
    """PyTorch eager: tensors that require grad, ``backward()``, ``torch.optim.SGD``."""
    first = numpy_layers(start)
    layers = [[torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in layer] for layer in first]
    params = [p for layer in layers for p in layer]
    opt = torch.optim.SGD(params, lr=LR)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)

    def reset() -> None:
        with torch.no_grad():
            for p, value in zip(params, (p for layer in first for p in layer)):
                p.copy_(torch.from_numpy(value))

    def step() -> Any:
        (W1, b1), (W2, b2), (W3, b3) = layers
        A1 = torch.relu(W1 @ X_t + b1)
        A2 = torch.relu(W2 @ A1 + b2)
        S = W3 @ A2 + b3
        loss = torch.clamp(1.0 - y_t * S, min=0.0).mean() + ALPHA * sum((p * p).sum() for p in params)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    def result(loss: float) -> tuple[float, list[float]]:
        return loss, numpy_flat([[W.detach().numpy(), b.detach().numpy()] for W, b in layers])

    return Peer(reset, step, result)


# --- logistic regression, the course's cost, one gradient-descent step ----------------------------


def jax_logreg(jax: Any, w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray, rate: float) -> Callable[[], Any]:
    """The course's cost from ``A = sigmoid(w.T @ X + b)``, ``jit(value_and_grad)`` with the update
    in the same jitted step: a step that returns ``(dw, db, J, (w, b))``, the last the new parameters."""
    jnp = jax.numpy

    def cost(w: Any, b: Any, X: Any, Y: Any) -> Any:
        A = jax.nn.sigmoid(w.T @ X + b)
        return -jnp.mean(Y * jnp.log(A) + (1 - Y) * jnp.log(1 - A))

    @jax.jit
    def gd(w: Any, b: Any, X: Any, Y: Any) -> Any:
        J, (dw, db) = jax.value_and_grad(cost, argnums=(0, 1))(w, b, X, Y)
        return dw, db, J, (w - rate * dw, b - rate * db)

    w_, b_, X_, Y_ = jax.device_put((w, np.float64(b), X, Y.astype(np.float64)))

    def step() -> Any:
        return jax.block_until_ready(gd(w_, b_, X_, Y_))

    step()  # jit compiles here, untimed
    return step


def torch_logreg(torch: Any, w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray, rate: float) -> Callable[[], Any]:
    """The course's cost in PyTorch eager, its gradients by ``torch.autograd.grad``, and the update:
    a step that returns ``(dw, db, J, (w, b))`` and starts from the same ``w, b`` every time."""
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    X_t, Y_t = torch.from_numpy(X), torch.from_numpy(Y.astype(np.float64))

    def step() -> Any:
        A = torch.sigmoid(w_t.T @ X_t + b_t)
        J = -torch.mean(Y_t * torch.log(A) + (1 - Y_t) * torch.log(1 - A))
        dw, db = torch.autograd.grad(J, (w_t, b_t))
        with torch.no_grad():
            return dw, db, J.detach(), (w_t - rate * dw, b_t - rate * db)

    return step
