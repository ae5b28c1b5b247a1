"""autograd/modes.py: ``no_grad`` computes numbers without recording a graph; ``detect_anomaly()``
raises at the first NaN or infinity, naming the op, its inputs and where it was made."""

from __future__ import annotations

import inspect
import math
import sys
import threading

import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, detect_anomaly, grad, gradients, hessian, modes, no_grad
from autograd.errors import AnomalyError
from autograd.modes import enable_grad

# no_grad


def test_no_grad_results_are_leaves_with_correct_numbers() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
        z = autograd.tanh(y)
        s = autograd.sum([x, y])
        d = autograd.dot([x], [y])
    assert (y.data, y.op, y.parents) == (7.0, "", ())
    assert z.data == math.tanh(7.0) and z.op == "" and z.parents == ()
    assert (s.data, s.parents, d.data, d.parents) == (9.0, (), 14.0, ())
    z.backward()
    assert x.grad == 0.0


def test_recording_resumes_after_no_grad_even_after_an_exception() -> None:
    x = Value(2.0)
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    y = x * x
    assert y.op == "*" and y.parents == (x, x)


def test_nested_no_grad() -> None:
    x = Value(2.0)
    with no_grad():
        with no_grad():
            pass
        inner = x * x
    assert inner.parents == ()
    assert (x * x).parents == (x, x)


def test_enable_grad_records_again_inside_no_grad() -> None:
    x = Value(2.0)
    with no_grad():
        with enable_grad():
            inside = x * x
        after = x * x
    assert inside.parents == (x, x) and inside.op == "*"
    assert after.parents == () and after.op == ""


# detect_anomaly


def next_line() -> str:
    """``file:line`` of the line after the caller's: where the op under test is written."""
    caller = inspect.currentframe().f_back  # type: ignore[union-attr]
    return f"{caller.f_code.co_filename}:{caller.f_lineno + 1}"


def test_forward_inf_names_the_op_inputs_and_the_test_line() -> None:
    x = Value(1e308, label="x")
    with pytest.raises(AnomalyError) as info, detect_anomaly():
        site = next_line()
        y = x * 10  # noqa: F841
    message = str(info.value)
    assert message.startswith("* (inputs: x=1e+308, 10.0)")
    assert f"created at {site}" in message
    assert "produced inf" in message and "forward" in message


def test_forward_nan_names_the_op(temporary_op) -> None:
    make_nan = temporary_op("make_nan", lambda x: math.nan, lambda ans, x: 0.0)
    with detect_anomaly():
        x = Value(2.0, label="x") + 1
        with pytest.raises(AnomalyError) as info:
            site = next_line()
            make_nan(x)
    message = str(info.value)
    assert "make_nan" in message and "3.0" in message and "nan" in message
    assert site in message


def test_only_the_first_non_finite_value_raises() -> None:
    """An inf made before the block is not new: ops that carry it along do not raise."""
    already = Value(math.inf)
    with detect_anomaly():
        carried = already + 1
    assert carried.data == math.inf


def test_backward_inf_names_the_op_and_where_it_was_made() -> None:
    x = Value(1e-320, label="x")  # log is finite here, its derivative 1/x is not
    with detect_anomaly():
        site = next_line()
        y = x.log()
        with pytest.raises(AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert message.startswith("log (inputs: x=1e-320)")
    assert f"created at {site}" in message
    assert "backward" in message and "inf" in message


def test_without_detect_anomaly_the_same_backward_is_silent() -> None:
    x = Value(1e-320)
    x.log().backward()
    assert x.grad == math.inf
    y = Value(1e308) * 10
    assert y.data == math.inf


def test_a_node_made_before_the_block_is_described_as_such() -> None:
    x = Value(1e-320, label="x")
    y = x.log()
    with detect_anomaly(), pytest.raises(AnomalyError, match="before detect_anomaly"):
        y.backward()


def test_anomaly_in_a_higher_order_pass() -> None:
    """log's derivative 1/x is itself a "/" node here; the second derivative -1/x^2 overflows."""
    with detect_anomaly(), pytest.raises(AnomalyError, match="backward pass"):
        grad(grad(lambda t: t.log()))(1e-170)


def test_finite_computations_pass_and_the_block_ends_cleanly() -> None:
    with detect_anomaly():
        x = Value(0.5)
        y = (x * x).tanh() + x.exp()
        y.backward()
    assert x.grad == pytest.approx(2 * 0.5 * (1 - math.tanh(0.25) ** 2) + math.exp(0.5), rel=1e-15)
    z = Value(1e308) * 10  # outside the block again
    assert z.data == math.inf


def test_the_block_ends_even_after_an_anomaly() -> None:
    with pytest.raises(AnomalyError), detect_anomaly():
        Value(1e308) * 10
    assert (Value(1e308) * 10).data == math.inf


def test_anomaly_inside_no_grad_still_names_the_op() -> None:
    with no_grad(), detect_anomaly(), pytest.raises(AnomalyError) as info:
        Value(1e308, label="x") * 10
    assert str(info.value).startswith("* (inputs: x=1e+308")


def test_nested_detect_anomaly_blocks() -> None:
    with detect_anomaly():
        with detect_anomaly():
            x = Value(1.0) * 2
        with pytest.raises(AnomalyError):
            Value(1e308) * 10
    assert x.data == 2.0
    assert (Value(1e308) * 10).data == math.inf


def test_a_nan_from_inputs_without_one_is_new() -> None:
    """inf - inf makes a NaN from infinite inputs: that is where the NaN starts."""
    x = Value(math.inf, label="x")
    with detect_anomaly():
        y = x + 1  # carries the inf along: not new
        with pytest.raises(AnomalyError, match=r"^- \(inputs: x=inf, x=inf\).*produced nan"):
            x - x
    assert y.data == math.inf


def test_a_constant_exponent_of_a_negative_base_is_not_an_anomaly() -> None:
    # (y_hat - y) ** 2 with a negative residual is everyday code: the constant 2's gradient is nan
    # (undefined), but nothing uses it, so detect_anomaly lets it pass ...
    with detect_anomaly():
        r = Value(-3.0, label="r")
        loss = r**2
        loss.backward()
    assert r.grad == -6.0 and math.isnan(loss.parents[1].grad)
    # ... while a variable exponent's undefined derivative is the engine's error, as without the mode.
    with detect_anomaly(), pytest.raises(autograd.errors.DomainError, match=r"backward through \*\*\(-3.0, 2.0\)"):
        (Value(-3.0, label="r") ** Value(2.0, label="p")).backward()


def test_higher_orders_of_powers_at_negative_bases_are_not_anomalies() -> None:
    """∂(x**2)/∂2 is nan at x < 0, but 2 is a number literal and so is the 2 - 1 of the second pass:
    no variable gets that nan, so it is no anomaly (and the results are the closed forms)."""
    with detect_anomaly():
        assert grad(grad(lambda x: x**2))(-1.0) == 2.0
        assert grad(grad(grad(lambda x: x**3)))(-2.0) == 6.0
        assert grad(grad(lambda x: x**3))(0.0) == 0.0


def test_an_undefined_slope_for_a_variable_exponent_is_the_engines_error_in_the_mode_too() -> None:
    x, y = Value(-1.0, label="x"), Value(2.0, label="y")
    with (
        detect_anomaly(),
        pytest.raises(autograd.errors.DomainError, match=r"^backward through \*\*\(-1.0, 2.0\).*only at integer y"),
    ):
        gradients(x**y, [x, y])


def test_an_inf_in_a_create_graph_pass_is_an_anomaly_error() -> None:
    """The derivative of 1/x at 1e-200 is -1e400: reported as an anomaly, not as a domain error."""
    x = Value(1e-200, label="x")
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"^/ \(inputs: 1.0, x=1e-200\).*-inf"):
        gradients(1 / x, [x], create_graph=True)


def test_hessian_inside_detect_anomaly() -> None:
    with detect_anomaly():
        assert hessian(lambda x, y: x * x * y)(3.0, 2.0) == [[4.0, 6.0], [6.0, 0.0]]


# Modes hold per thread, as in PyTorch, and are always restored.


def in_thread(work) -> list:
    """Run ``work`` in a new thread and return what it returned or raised, in a list."""
    result: list = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            result.append(e)

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=30)
    assert not t.is_alive()
    return result


def test_no_grad_in_one_thread_does_not_stop_recording_in_another() -> None:
    with no_grad():
        inside = Value(2.0) * 3
        (other,) = in_thread(lambda: Value(2.0) * 3)
    assert (inside.op, inside.parents) == ("", ())
    assert other.op == "*" and [p.data for p in other.parents] == [2.0, 3.0]


def test_detect_anomaly_in_one_thread_does_not_raise_in_another() -> None:
    with detect_anomaly():
        (other,) = in_thread(lambda: Value(1e308) * 10)
        try:
            Value(1e308) * 10
            raised = False
        except AnomalyError:
            raised = True
    assert raised
    assert isinstance(other, Value) and other.data == math.inf


def test_a_thread_starts_without_the_modes_of_the_thread_that_made_it() -> None:
    with no_grad(), detect_anomaly():
        (state,) = in_thread(lambda: (modes.anomaly_on(), (Value(1.0) + 1).op))
    assert state == (False, "+")


@pytest.mark.slow
def test_racing_enters_and_exits_leave_every_mode_off() -> None:
    """Two threads entering and leaving no_grad and detect_anomaly 10,000 times each, interleaved."""
    start = threading.Barrier(2)

    def churn() -> None:
        start.wait()
        for _ in range(10_000):
            with no_grad():
                pass
            with detect_anomaly():
                pass

    threads = [threading.Thread(target=churn) for _ in range(2)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so that enters and exits interleave
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    y = Value(2.0) * 3
    assert y.op == "*" and len(y.parents) == 2  # recording is on again
    assert not modes.anomaly_on()
    assert modes.HOOKS.node is None and modes.HOOKS.tracer is None  # and the engine is back on its fast path


def test_grad_in_two_threads_returns_plain_floats_in_both() -> None:
    """grad's nesting depth is per thread too: another thread's grad must not make this one return Values."""
    release = threading.Event()
    entered = threading.Event()

    def slow(x):
        entered.set()
        release.wait(timeout=10)
        return x * x

    results: list = []
    t = threading.Thread(target=lambda: results.append(grad(slow)(3.0)))
    t.start()
    entered.wait(timeout=10)
    mine = grad(lambda x: x * x * x)(2.0)
    release.set()
    t.join()
    assert type(mine) is float and mine == 12.0
    assert results == [6.0]
