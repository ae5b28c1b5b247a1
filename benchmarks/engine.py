"""The engine against micrograd 0.1.0 on the same workloads, measured in one run.

Run: ``python benchmarks/engine.py`` (micrograd comes with ``pip install -e .[benchmark]``).

Workloads:
1. throughput: build a graph of elementary ops (``+ * relu`` on Values and numbers) and backpropagate;
   beside the two engines runs ``bare_engine.py``, chainrule's node model stripped to the arithmetic,
   to show how far ahead of micrograd such an engine can get at all;
2. memory: bytes per node of a long chain, measured with tracemalloc;
3. depth: backward through a chain of 1,000,000 ops.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bare_engine import BareValue

import autograd

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:  # the comparison is skipped, our own figures are still printed
    MicrogradValue = None


def elementary_workload(Value: Callable[[float], Any], n_terms: int) -> Any:
    """One graph of elementary ops: ``sum_i relu(w_i * x_i + 0.5) * 0.1``, summed pairwise.

    Every op is its own node (no fused nodes). The pairwise sum keeps the graph shallow
    (micrograd's recursive sort fails on graphs deeper than about 1,000 nodes).
    """
    terms = []
    for i in range(n_terms):
        w = Value(0.01 * (i % 17) - 0.08)
        x = Value(0.02 * (i % 13) - 0.1)
        terms.append((w * x + 0.5).relu() * 0.1)
    while len(terms) > 1:
        pairs = [terms[k] + terms[k + 1] for k in range(0, len(terms) - 1, 2)]
        terms = pairs + terms[len(terms) - len(terms) % 2 :]
    return terms[0]


def check_bare_engine() -> None:
    """The bare engine is a fair measuring stick only if it computes the same numbers: walk both
    graphs of the same workload side by side and compare every node."""
    ours, bare = elementary_workload(autograd.Value, 300), elementary_workload(BareValue, 300)
    ours.backward()
    bare.backward()
    stack, seen = [(ours, bare)], set()
    while stack:
        a, b = stack.pop()
        if a in seen:
            continue
        seen.add(a)
        assert (a.data, a.grad, a.op, len(a.parents)) == (b.data, b.grad, b.op, len(b.parents)), (a, b)
        stack += zip(a.parents, b.parents)


def time_runs(fn: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """The fastest and the median of ``repeats`` runs, after one warm-up run.

    The best is the least disturbed by the rest of the machine. The median is the steady state:
    runs follow each other with no collection in between, as in a training loop, so an engine
    whose graphs hold reference cycles (micrograd's closures) pays its cycle collector there.
    """
    fn()
    gc.collect()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def count_nodes(root: Any) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        v = stack.pop()
        for p in getattr(v, "parents", None) or getattr(v, "_prev", ()):
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def throughput(Value: Callable[[float], Any], n_terms: int, n_graphs: int, repeats: int) -> tuple[float, float, int]:
    """Nodes per second (best, median) of building ``n_graphs`` graphs of ``n_terms`` terms and
    backpropagating each."""
    nodes = count_nodes(elementary_workload(Value, n_terms)) * n_graphs

    def build_and_backward() -> None:
        for _ in range(n_graphs):
            elementary_workload(Value, n_terms).backward()

    best, median = time_runs(build_and_backward, repeats)
    return nodes / best, nodes / median, nodes


def chain_bytes_per_node(Value: Callable[[float], Any], length: int) -> float:
    """A chain ``x = x * y`` of ``length`` multiplications (y a shared leaf): bytes per node kept alive."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    x, y = Value(1.0), Value(1.0)
    for _ in range(length):
        x = x * y
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del x
    return (after - before) / length


def deep_chain(Value: Callable[[float], Any], length: int) -> str:
    x = Value(1.0)
    y = Value(1.0)
    for _ in range(length):
        x = x * y
    start = time.perf_counter()
    try:
        x.backward()
    except RecursionError:
        return "RecursionError"
    return f"ok, y.grad = {y.grad:g} (expected {length}), backward {time.perf_counter() - start:.2f} s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=5000, help="terms in the throughput workload")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--chain", type=int, default=1_000_000, help="length of the deep chain")
    args = parser.parse_args(argv)
    engines: list[tuple[str, Any]] = [("chainrule", autograd.Value)]
    if MicrogradValue is not None:
        engines.append(("micrograd 0.1.0", MicrogradValue))
    else:
        print("micrograd is not installed (pip install -e .[benchmark]); printing chainrule only\n")
    print(f"Python {sys.version.split()[0]}")

    print(
        "\n1. build + backward of  sum_i relu(w_i*x_i + 0.5) * 0.1, elementary ops only (best and median of "
        f"{args.repeats})"
    )
    check_bare_engine()
    runners = engines + [("bare node model", BareValue)]
    for terms, graphs in ((args.terms, 1), (100, args.terms // 100)):
        print(f"   {graphs} graph(s) of {terms} terms:")
        rates = {}
        for name, Value in runners:
            best, median, nodes = throughput(Value, terms, graphs, args.repeats)
            rates[name] = best, median
            print(f"     {name:<16} {nodes:>6} nodes, best {best / 1e6:.3f}, median {median / 1e6:.3f} M nodes/s")
        if "micrograd 0.1.0" in rates:
            their_best, their_median = rates["micrograd 0.1.0"]
            for name in ("chainrule", "bare node model"):
                ours_best, ours_median = rates[name]
                print(
                    f"     {name} is {ours_best / their_best:.1f}x micrograd's throughput best against best, "
                    f"{ours_median / their_median:.1f}x median against median"
                )
            met = rates["chainrule"][0] / their_best >= 5
            print(f"     target: chainrule >= 5x best against best: {'met' if met else 'NOT met'}")

    print("\n2. memory of a 100,000-op chain  x = x * y  (tracemalloc)")
    memory = {}
    for name, Value in engines:
        memory[name] = chain_bytes_per_node(Value, 100_000)
        print(f"   {name:<16} {memory[name]:.0f} bytes per node")
    print(f"   target: chainrule <= 200 bytes per node: {'met' if memory['chainrule'] <= 200 else 'NOT met'}")

    print(f"\n3. backward through a chain of {args.chain:,} ops")
    for name, Value in engines:
        print(f"   {name:<16} {deep_chain(Value, args.chain if name == 'chainrule' else min(args.chain, 5000))}")


if __name__ == "__main__":
    main()
