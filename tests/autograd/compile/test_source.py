"""autograd/source.py: a function's source is used only when it compiles to the function's own bytecode."""

from __future__ import annotations

import ast
import linecache

from autograd.compile.source import rule_tree
from autograd.rules import PRIMITIVES, _dot, _power


def test_the_rule_tables_rows_are_read_lambdas_and_helpers_alike():
    for op in ("relu", "sigmoid", "*"):
        assert isinstance(rule_tree(PRIMITIVES[op].local_derivatives), ast.Lambda), op
    assert rule_tree(_dot).name == "_dot" and rule_tree(_power).name == "_power"
    assert ast.unparse(rule_tree(PRIMITIVES["sigmoid"].local_derivatives)) == "lambda ans, x: (ans * (1.0 - ans),)"


def test_two_lambdas_on_one_line_each_get_their_own():
    pair = (lambda ans, x: (x,), lambda ans, x: (ans,))
    assert [ast.unparse(rule_tree(f).body) for f in pair] == ["(x,)", "(ans,)"]


def test_a_lambda_with_a_closure_is_not_read_as_plain_source():
    k = 2.0
    rule = lambda ans, x: (k * x,)
    assert rule_tree(rule) is None


def test_source_that_is_not_the_code_that_runs_is_refused(tmp_path):
    # The file on disk (as linecache reads it) says one thing, the function does another.
    filename = str(tmp_path / "edited.py")
    code = compile("f = lambda ans, x: (2.0 * x,)\n", filename, "exec")
    namespace: dict = {}
    exec(code, namespace)
    linecache.cache[filename] = (0, None, ["f = lambda ans, x: (3.0 * x,)\n"], filename)
    try:
        assert rule_tree(namespace["f"]) is None
    finally:
        linecache.cache.pop(filename, None)


def test_builtins_and_objects_without_source_have_none():
    assert rule_tree(abs) is None and rule_tree(len) is None
