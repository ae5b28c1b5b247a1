"""chainrule/cli.py: the command, in-process through main() and as the installed console script."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time

import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from chainrule import outputs
from chainrule.cli import MAX_BINDINGS, MAX_CHECK2_VARIABLES, MAX_ORDER2_VARIABLES, main, parse_bindings
from chainrule.errors import CommandError

SCRIPT = shutil.which("chainrule", path=os.path.dirname(sys.executable))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_script(*argv: str, cwd=None, module: bool = False, env=None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "chainrule", *argv] if module else [SCRIPT, *argv]
    return subprocess.run(
        command, check=False, capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=60
    )


COURSE_TABLE = "J     = 33\n∂J/∂a = 3\n∂J/∂b = 6\n∂J/∂c = 9\n"


def test_course_example_text(capsys):
    assert run(capsys, "3*(a+b*c)", "a=5", "b=3", "c=2") == (0, COURSE_TABLE, "")


def test_course_example_json(capsys):
    code, out, err = run(capsys, "3*(a+b*c)", "a=5", "b=3", "c=2", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "expression": "3*(a+b*c)",
        "name": "J",
        "value": 33.0,
        "gradient": {"a": 3.0, "b": 6.0, "c": 9.0},
    }


@pytest.mark.skipif(SCRIPT is None, reason="the chainrule console script is not installed")
def test_course_example_through_the_console_script_and_python_m(tmp_path):
    for module in (False, True):
        done = run_script("3*(a+b*c)", "a=5", "b=3", "c=2", cwd=tmp_path, module=module)
        assert (done.returncode, done.stdout, done.stderr) == (0, COURSE_TABLE, "")
    done = run_script("3*(a+b*c)", "a=5", "b=3", "c=2", "--json", cwd=tmp_path)
    assert json.loads(done.stdout)["gradient"] == {"a": 3.0, "b": 6.0, "c": 9.0}


def test_name_option_and_a_negative_value(capsys):
    code, out, _ = run(capsys, "a*b", "a=-1.5", "b=4", "--name", "L")
    assert (code, out) == (0, "L     = -6\n∂L/∂a = 4\n∂L/∂b = -1.5\n")


def test_no_variables_gives_just_the_value(capsys):
    assert run(capsys, "2**10 - 24") == (0, "J = 1000\n", "")
    _, out, _ = run(capsys, "2**10 - 24", "--json", "--order", "2")
    assert json.loads(out) == {"expression": "2**10 - 24", "name": "J", "value": 1000.0, "gradient": {}, "hessian": {}}


def test_a_bound_variable_the_expression_does_not_use_has_derivative_zero(capsys):
    code, out, _ = run(capsys, "a*2", "a=1", "z=7")
    assert (code, out) == (0, "J     = 2\n∂J/∂a = 2\n∂J/∂z = 0\n")


def test_order_2_with_a_variable_the_expression_does_not_use(capsys):
    _, out, _ = run(capsys, "x**3", "x=2", "z=5", "--order", "2", "--json")
    result = json.loads(out)
    assert result["gradient"] == {"x": 12.0, "z": 0.0}
    assert result["hessian"] == {"x": {"x": 12.0, "z": 0.0}, "z": {"x": 0.0, "z": 0.0}}


def test_overflow_is_inf_in_the_table_and_null_in_json(capsys):
    assert run(capsys, "a*a", "a=1e200") == (0, "J     = inf\n∂J/∂a = 2e+200\n", "")
    _, out, _ = run(capsys, "a*a", "a=1e200", "--json")
    assert json.loads(out)["value"] is None and json.loads(out)["gradient"] == {"a": 2e200}


def test_order_2_text_matrix_for_x_x_y(capsys):
    # J = x²y: ∂J/∂x = 2xy = 12, ∂J/∂y = x² = 9; Hessian [[2y, 2x], [2x, 0]] = [[4, 6], [6, 0]]
    code, out, _ = run(capsys, "x*x*y", "x=3", "y=2", "--order", "2")
    assert code == 0
    assert out == ("J     = 18\n∂J/∂x = 12\n∂J/∂y = 9\n\nHessian ∂²J/∂row ∂column:\n   x  y\nx  4  6\ny  6  0\n")


@pytest.mark.parametrize("x, y", [(1.0, 0.5), (-2.0, 1.25)])
def test_order_2_json_against_closed_forms_for_sin_x_exp_y(capsys, x, y):
    _, out, _ = run(capsys, "sin(x)*exp(y)", f"x={x}", f"y={y}", "--order", "2", "--json")
    result = json.loads(out)
    s, c, e = math.sin(x), math.cos(x), math.exp(y)
    assert result["value"] == pytest.approx(s * e, rel=1e-14)
    assert result["gradient"]["x"] == pytest.approx(c * e, rel=1e-14)
    assert result["gradient"]["y"] == pytest.approx(s * e, rel=1e-14)
    expected = {"x": {"x": -s * e, "y": c * e}, "y": {"x": c * e, "y": s * e}}
    for r in "xy":
        for col in "xy":
            assert result["hessian"][r][col] == pytest.approx(expected[r][col], rel=1e-14)


def test_order_2_of_a_rational_function_against_sympy(capsys):
    sympy = pytest.importorskip("sympy")
    a, b = sympy.symbols("a b")
    f = a**3 / b + sympy.log(a * b)
    point = {a: 1.5, b: 0.25}
    _, out, _ = run(capsys, "a**3/b + log(a*b)", "a=1.5", "b=0.25", "--order", "2", "--json")
    result = json.loads(out)
    for r in (a, b):
        assert result["gradient"][str(r)] == pytest.approx(float(sympy.diff(f, r).subs(point)), rel=1e-12)
        for col in (a, b):
            reference = float(sympy.diff(f, r, col).subs(point))
            assert result["hessian"][str(r)][str(col)] == pytest.approx(reference, rel=1e-12)


def test_check_passes_and_reports(capsys):
    code, out, _ = run(capsys, "log(x)*sin(y)", "x=2", "y=0.5", "--check", "--order", "2")
    assert code == 0
    table = out[out.index("gradcheck passed at x=2.0, y=0.5") :].splitlines()
    assert [row.split()[0] for row in table[2:]] == ["∂J/∂x", "∂J/∂y", "∂²J/∂x∂x", "∂²J/∂x∂y", "∂²J/∂y∂x", "∂²J/∂y∂y"]
    assert "mismatch" not in out


def test_check_failure_prints_the_table_and_exits_1(capsys):
    # relu has a kink at 0: the engine takes its derivative as 0, central differences give 0.5.
    code, out, err = run(capsys, "relu(a)", "a=0", "--check")
    assert (code, err) == (1, "")
    assert "gradcheck failed at a=0.0" in out
    row = out.split("gradcheck failed")[1].splitlines()[2]
    assert row.startswith("∂J/∂a")
    assert row.split()[1:4] == ["0", "0.5", "0.5"] and row.endswith("<- mismatch")


def test_check_near_the_edge_of_the_domain_says_so_without_python_arguments(capsys):
    """The steps x ± 1e-6 around 1e-7 reach log(-9e-7): the advice must be one the command can follow."""
    code, out, err = run(capsys, "log(x)", "x=1e-7", "--check")
    assert (code, out) == (2, "")
    assert err == (
        "chainrule: error: --check: gradcheck: the central-difference steps x = 1e-07 ± 1e-06 leave f's domain "
        "(log: log(-9e-07) is undefined; the input must be > 0); check at a point further from the edge\n"
    )


def test_check_catches_a_wrong_defop_derivative(capsys, restore_functions):
    autograd.extend.defop("badsquare", lambda x: x * x, lambda ans, x: 3 * x)  # should be 2x
    code, out, _ = run(capsys, "badsquare(a)", "a=2", "--check", "--json")
    result = json.loads(out)
    assert code == 1
    assert result["gradient"] == {"a": 6.0}  # what the (wrong) rule says
    assert result["gradcheck"]["passed"] is False and "<- mismatch" in result["gradcheck"]["report"]


def test_defop_primitive_through_the_command(capsys, restore_functions):
    autograd.extend.defop("cube", lambda x: x**3, lambda ans, x: 3 * x**2)
    assert run(capsys, "cube(a) + a", "a=2") == (0, "J     = 10\n∂J/∂a = 13\n", "")


def test_help_has_examples(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert 'chainrule "3*(a + b*c)" a=5 b=3 c=2' in out and "--order" in out and "--steps" in out


BAD_INPUT = [
    (["3*(a+", "a=1"], "invalid syntax in '3*(a+'"),
    (["f(a)", "a=1"], "unknown function 'f'"),
    (["a*b*c", "a=1"], "no value for b, c"),
    (["a*b", "a=1", "b=x"], "binding 'b=x': 'x' is not a number"),
    (["a*b", "a=1", "b=nan"], "binding 'b=nan': 'nan' is not a finite number"),
    (["a*b", "a=1", "b"], "binding 'b' is not NAME=VALUE"),
    (["a", "a=1", "a=2"], "a is given twice"),
    (["a", "__class__=1"], "dunder names are not allowed"),
    (["log(a)", "a=-1"], "log(-1.0) is undefined"),
    (["a/b", "a=1", "b=0"], "division by zero"),
    (["a", "a=1", "--order", "3"], "invalid choice: 3"),
    (["-a*b", "a=1", "b=2"], "put -- before it"),
    (["a", "a=1", "--local"], "--local only applies to --graph"),
    (["a", "a=1", "--graph", "out.txt"], "the file must end in .svg, .png, .pdf, .dot"),
    (["a", "a=1", "--steps", "out.svg"], "the file must end in .html, .htm"),
    (["a", "a=1", "--graph", "no/such/dir/g.dot"], "does not exist"),
    (["2", "--check"], "--check needs at least one variable"),
    ([], 'no expression given: write one, as in chainrule "3*(a + b*c)" a=5 b=3 c=2'),
]


@pytest.mark.parametrize("argv, message", BAD_INPUT)
def test_bad_input_is_one_line_on_stderr_exit_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_directory(capsys, tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, out, err = run(capsys, "a", "a=1", "--graph", str(locked / "g.dot"))
        assert (code, out) == (2, "") and "is not writable" in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_directory_as_output(capsys, tmp_path):
    (tmp_path / "g.dot").mkdir()
    code, _, err = run(capsys, "a", "a=1", "--graph", str(tmp_path / "g.dot"))
    assert code == 2 and "is a directory" in err


HOSTILE = [
    "__import__('os').system('touch x')",
    "a.__class__",
    "().__class__.__bases__",
    "[x for x in ()]",
    "lambda: 0",
    "open('f')",
    "(" * 10_000 + "a" + ")" * 10_000,
    "-" * 10_000 + "a",
    "a+" * 10_000 + "a",
    "(" * 5_000 + "a" + ")" * 4_999,
    "a**" * 3_000 + "a",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t if len(t) < 40 else f"{t[:12]}...{len(t)} chars")
def test_hostile_input_in_process(capsys, tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--graph", "g.dot", "--steps", "s.html", "--", text, "a=1")
    assert (code, out) == (2, "")
    assert err.startswith("chainrule: error: parse: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # nothing executed, nothing written


@pytest.mark.slow
@pytest.mark.skipif(SCRIPT is None, reason="the chainrule console script is not installed")
def test_hostile_input_through_the_console_script(tmp_path):
    for text in HOSTILE:
        done = run_script("--graph", "g.dot", "--", text, "a=1", cwd=tmp_path)
        assert (done.returncode, done.stdout) == (2, ""), text[:40]
        assert done.stderr.startswith("chainrule: error: parse: ") and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["a ^ b", "a=1", "b=2"], "the operator ^ is not supported (a power is written **, as in x**2)"),
        (["2a", "a=1"], "(multiplication needs *: write 2*a)"),
        (["2 a", "a=1"], "(multiplication needs *: write 2*a)"),
        (["a b", "a=1", "b=2"], "(multiplication needs *: write a*b)"),
        (["rate time", "rate=1", "time=2"], "(multiplication needs *: write rate*time)"),
        (["1.5 x", "x=1"], "(multiplication needs *: write 1.5*x)"),
        (["(a) b", "a=1", "b=2"], "(multiplication needs *: write (...)*b)"),
        (["sin x", "x=1"], "(a function needs parentheses: write sin(x))"),
        (["3(a+1)", "a=1"], "a number cannot be called (to multiply, write *: 3*(a+1))"),
        (["(a+1)(a-1)", "a=1"], "only a function's name can be called (to multiply, write *"),
        (["J + a", "J=1", "a=2"], "--name J: J is also a variable of the expression"),
        (["a + b", "a=1", "b=2", "--name", ""], "--name '': the output's name must be a name"),
    ],
)
def test_a_learners_slips_get_a_hint(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_parse_bindings_reads_name_value_pairs_in_order() -> None:
    bindings = parse_bindings(["b=-1.5", " a = 2e3 ", "c=.5"])
    assert bindings == {"b": -1.5, "a": 2000.0, "c": 0.5} and list(bindings) == ["b", "a", "c"]
    assert parse_bindings([]) == {}


@pytest.mark.parametrize(
    "texts, message",
    [
        (["a"], "binding 'a' is not NAME=VALUE; write e.g. a=5 (the name a Python identifier)"),
        (["2x=1"], "binding '2x=1' is not NAME=VALUE"),
        (["if=1"], "binding 'if=1' is not NAME=VALUE"),
        (["__x__=1"], "binding '__x__=1': dunder names are not allowed"),
        (["a=1", "a=2"], "binding 'a=2': a is given twice; give each variable one value"),
        (["a=one"], "binding 'a=one': 'one' is not a number nor a constant: a value may use numbers, pi, e"),
        (["a=inf"], "binding 'a=inf': 'inf' is not a finite number"),
    ],
)
def test_parse_bindings_names_the_bad_binding(texts, message) -> None:
    with pytest.raises(CommandError) as info:
        parse_bindings(texts)
    assert str(info.value).startswith(message)


MODULE = [sys.executable, "-m", "chainrule"]


def command(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*MODULE, *argv], capture_output=True, timeout=60, **kwargs)


def quick(capsys, *argv: str) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    code, out, err = run(capsys, *argv)
    return code, out, err, time.perf_counter() - start


# Standard output that fails is one line on stderr, not a traceback, and not exit 1 (which means a failed check).


def test_an_encoding_that_cannot_hold_the_output(tmp_path):
    done = command("μ*2", "μ=1", env=dict(os.environ, PYTHONIOENCODING="ascii"))
    assert done.returncode == 2 and done.stdout == b""
    err = done.stderr.decode("ascii")
    assert err.startswith("chainrule: error: standard output takes ascii text") and err.count("\n") == 1
    assert "PYTHONIOENCODING=utf-8" in err and "Traceback" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output():
    with open("/dev/full", "w") as full:
        done = subprocess.run([*MODULE, "a*2", "a=1"], stdout=full, stderr=subprocess.PIPE, timeout=60)
    err = done.stderr.decode()
    assert (
        done.returncode == 2 and err == "chainrule: error: cannot write to standard output (No space left on device)\n"
    )


def test_a_closed_pipe_stops_quietly():
    # A table longer than the pipe's buffer (a 200 x 200 Hessian), read by a process that exits at
    # once: as `chainrule ... | true`.
    names = [f"v{i}" for i in range(200)]
    reader = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE)
    done = subprocess.run([*MODULE, "*".join(names), *(f"{n}=1" for n in names), "--order", "2"],
                          stdout=reader.stdin, stderr=subprocess.PIPE, timeout=60)  # fmt: skip
    reader.wait()
    assert done.returncode == 141 and done.stderr == b""


def test_a_failing_stdout_writes_no_file(tmp_path):
    graph = tmp_path / "g.dot"
    done = command("μ*2", "μ=1", "--graph", str(graph), env=dict(os.environ, PYTHONIOENCODING="ascii"))
    assert done.returncode == 2 and not graph.exists() and list(tmp_path.iterdir()) == []


# Unbounded work is refused up front, in one line; the limits are in --help.


def test_a_hessian_of_thousands_of_variables_is_refused_at_once(capsys):
    bindings = [f"v{i}=1" for i in range(10_000)]
    code, out, err, seconds = quick(capsys, "v0", *bindings, "--order", "2")
    assert (code, out) == (2, "") and seconds < 2
    assert f"--order 2 (a Hessian of n*n entries) takes at most {MAX_ORDER2_VARIABLES} variables, got 10,000" in err


def test_a_second_order_check_of_many_variables_is_refused(capsys):
    n = MAX_CHECK2_VARIABLES + 1
    text = "+".join(f"v{i}*v{i + 1}" for i in range(n - 1))
    code, _, err, seconds = quick(capsys, text, *(f"v{i}=1" for i in range(n)), "--check", "--order", "2")
    assert code == 2 and seconds < 2 and f"at most {MAX_CHECK2_VARIABLES} variables, got {n}" in err


def test_too_many_bindings_are_refused(capsys):
    code, _, err, _ = quick(capsys, "v0", *(f"v{i}=1" for i in range(MAX_BINDINGS + 1)))
    assert code == 2 and f"{MAX_BINDINGS + 1:,} bindings; at most {MAX_BINDINGS:,}" in err


def test_a_ten_thousand_digit_number_is_refused_at_once(capsys):
    code, _, err, seconds = quick(capsys, "1" * 10_000)
    assert code == 2 and seconds < 1 and "10,000 digits in a row; at most 400" in err
    code, _, err, seconds = quick(capsys, "1" * 4_000 + " x", "x=1")  # the juxtaposition hint, read in one pass
    assert code == 2 and seconds < 1


def test_help_states_the_limits(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "Limits" in out
    for number in (
        f"{MAX_BINDINGS:,}",
        str(MAX_ORDER2_VARIABLES),
        str(MAX_CHECK2_VARIABLES),
        f"{outputs.MAX_GRAPH_NODES:,}",
    ):
        assert number in out


# Programs from the shell, and a new user's small frictions.


def test_a_program_names_the_output_after_its_last_statement(capsys):
    code, out, err = run(capsys, "u = b*c; v = a + u; J = 3*v", "a=5", "b=3", "c=2")
    assert (code, out, err) == (0, COURSE_TABLE, "")
    code, out, _ = run(
        capsys, "z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1-y)*log(1-a))", "w=0.5", "x=2", "b=0", "y=1"
    )
    assert code == 0 and out.splitlines()[0].startswith("L     = 0.3132616875") and "∂L/∂w = " in out
    code, out, _ = run(capsys, "u = b*c; J = 3*(a + u)", "a=5", "b=3", "c=2", "--name", "Q")
    assert out.splitlines()[0] == "Q     = 33"  # --name still overrides


def test_a_program_over_several_lines(capsys):
    code, out, _ = run(capsys, "u = b*c\nv = a + u\nJ = 3*v", "a=5", "b=3", "c=2")
    assert (code, out) == (0, COURSE_TABLE)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["u = a*2; J = u + 1", "a=1", "u=3"], "u is both assigned in the program and bound to a value"),
        (["a = b + 1; b = 2", "b=1"], "b is used before it is assigned"),
        (["z = a; z = 2*a", "a=1"], "z is assigned twice"),
        (["z = a*2; L = z + 1", "a=1", "--name", "z"], "--name z: z names a step of the program, not its output"),
    ],
)
def test_program_errors_are_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1


def test_a_binding_the_expression_never_uses_gets_a_warning(capsys):
    code, out, err = run(capsys, "a**2", "a=3", "b=4")
    assert (code, out) == (0, "J     = 9\n∂J/∂a = 6\n∂J/∂b = 0\n")
    assert err == "chainrule: warning: b is bound but the expression does not use it (∂J/∂b = 0); is it misspelt?\n"
    assert run(capsys, "a**2", "a=3")[2] == ""  # no warning when every binding is used


@pytest.mark.parametrize("expression", ["relu(x)", "relu(-x)", "leaky_relu(x)", "2*relu(x) + 1"])
def test_check_at_a_kink_says_a_mismatch_is_expected(capsys, expression):
    code, out, _ = run(capsys, expression, "x=0", "--check")
    assert code == 1 and "<- mismatch" in out
    assert "at its kink, where the slope jumps" in out and "a mismatch is expected here" in out


def test_check_away_from_a_kink_has_no_note(capsys):
    code, out, _ = run(capsys, "relu(x)", "x=2", "--check")
    assert code == 0 and "kink" not in out


def test_check_rows_use_the_tables_names(capsys):
    _, out, _ = run(capsys, "L = a*b", "a=1", "b=2", "--check")
    rows = out.split("gradcheck passed")[1].splitlines()[2:]
    assert [row.split()[0] for row in rows] == ["∂L/∂a", "∂L/∂b"]


def test_no_arguments_says_that_bindings_are_optional(capsys):
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert "the bindings NAME=VALUE are optional" in err and err.count("\n") == 1


def test_help_lists_the_functions_and_programs(capsys):
    _, out, _ = run(capsys, "--help")
    assert "sigmoid" in out and "leaky_relu" in out and "NAME = EXPRESSION" in out and "pi and e" in out


# --expect: a derivation by hand, checked from the shell.


def test_expect_the_courses_hand_derivations(capsys):
    code, out, err = run(
        capsys, "3*(a + b*c)", "a=5", "b=3", "c=2", "--expect", "a=3", "--expect", "b=3*c", "--expect", "c=3*b"
    )
    assert (code, err) == (0, "")
    assert out.startswith(COURSE_TABLE + "\ncheck_derivatives passed: engine, hand and numeric agree on 3 derivatives")
    rows = out.splitlines()[-3:]
    assert [row.split()[-4:] for row in rows] == [
        ["d/da", "3", "3", "3"],
        ["d/db", "6", "6", "6"],
        ["d/dc", "9", "9", "9"],
    ]


def test_expect_a_wrong_derivation_prints_the_table_and_exits_1(capsys):
    program = "z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1-y)*log(1-a))"
    code, out, _ = run(
        capsys, program, "w=0.5", "x=2", "b=0", "y=1", "--expect", "b=y - sigmoid(w*x + b)"
    )  # dz = y - a: a slip
    assert code == 1
    row = next(line for line in out.splitlines() if "d/db" in line)
    assert row.split()[-4:] == ["-0.26894142", "0.26894142", "-0.26894142", "hand"]
    code, out, _ = run(capsys, program, "w=0.5", "x=2", "b=0", "y=1", "--expect", "b=sigmoid(w*x + b) - y", "--json")
    result = json.loads(out)
    assert code == 0 and result["expect"]["passed"] is True and "d/db" in result["expect"]["report"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--expect", "b"], "--expect 'b' is not NAME=EXPR; write e.g. --expect b=3*c"),
        (["--expect", "q=1"], "q is not a bound variable (the variables are a, b, c)"),
        (["--expect", "b=3*d"], "no value for d"),
        (["--expect", "b=1", "--expect", "b=2"], "b is expected twice"),
        (["--expect", "b=3*("], "invalid syntax"),
    ],
)
def test_expect_errors_are_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "3*(a + b*c)", "a=5", "b=3", "c=2", *argv)
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1


# Issue 19: long texts, constants, names, line breaks, options and bindings in any order, undefined derivatives.


@pytest.mark.parametrize(
    "argv, start",
    [
        (["x*2", "x=" + "1" * 100_000], "binding 'x=1111"),
        (["x*2", "y" * 100_000 + "=x"], "binding 'yyyy"),
        (["x*2", "x=1", "--expect", "x=" + "1+" * 50_000 + "1"], "--expect 'x=1+1+"),
        (["x*2", "x=1", "--expect", "y" * 100_000 + "=1"], "--expect 'yyyy"),
        (["x*2", "x=1", "--name", "y" * 50_000 + "-"], "--name 'yyyy"),
        (["x*2", "x=1", "--max-nodes", "9" * 100_000 + "x"], "argument --max-nodes: must be a whole number >= 1"),
        (["x*2", "x=1", "--graph", "y" * 100_000 + ".svg"], "--graph 'yyyy"),
    ],
)
def test_a_long_text_is_quoted_as_a_short_excerpt(capsys, tmp_path, monkeypatch, argv, start):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith(f"chainrule: error: {start}") and len(err) < 1_100
    assert " ... " in err


def test_a_long_unused_name_is_shown_short_in_the_warning(capsys):
    code, _, err = run(capsys, "x*2", "x=1", "y" * 100_000 + "=1")
    assert code == 0 and len(err) < 400 and "(100,000 characters) is bound but the expression does not use it" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["e*x", "e=2", "x=1"],
            "binding 'e=2': e is the constant 2.718281828459045 in an expression, so it cannot be bound",
        ),
        (["pi*r**2", "pi=3", "r=1"], "binding 'pi=3': pi is the constant 3.141592653589793 in an expression"),
        (["e*x", "\uff45=2", "x=1"], "binding '\uff45=2': e is the constant 2.718281828459045"),
        (["x*2", "x=1", "--name", "pi"], "--name pi: pi is a constant; give the output another name"),
    ],
)
def test_pi_and_e_cannot_be_bound_from_the_command(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and err.startswith(f"chainrule: error: {message}") and err.count("\n") == 1


@pytest.mark.parametrize(
    "value, table",
    [
        ("pi/2", "J     = 1\n∂J/∂x = 6.12323399574e-17\n"),
        ("pi", "J     = 1.22464679915e-16\n∂J/∂x = -1\n"),
        ("-1e-3", "J     = -0.000999999833333\n∂J/∂x = 0.9999995\n"),
        ("2*e", "J     = -0.749046468223\n∂J/∂x = 0.662517462746\n"),
        ("sqrt(2)", "J     = 0.987765945993\n∂J/∂x = 0.155943694765\n"),
    ],
)
def test_a_binding_may_be_a_constant_expression(capsys, value, table):
    assert run(capsys, "sin(x)", f"x={value}") == (0, table, "")


@pytest.mark.parametrize(
    "value, message",
    [
        ("y", "binding 'x=y': 'y' is not a number nor a constant: a value may use numbers, pi, e and the functions"),
        ("2*y", "binding 'x=2*y': 'y' in '2*y' is not a number nor a constant"),
        ("log(-1)", "binding 'x=log(-1)': log: log(-1.0) is undefined"),
        ("1e308*10", "binding 'x=1e308*10': '1e308*10' is inf, not a finite number"),
        ("a=1", "binding 'x=a=1': a value is one expression, not an assignment"),
        ("1;2", "binding 'x=1;2': a value is one expression, not statements"),
        ("open('f')", "binding \"x=open('f')\": unknown function 'open'"),
        ("", "binding 'x=' has no value; write e.g. x=0.5"),
    ],
)
def test_a_binding_that_is_not_a_constant_expression(capsys, tmp_path, monkeypatch, value, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "sin(x)", f"x={value}")
    assert (code, out) == (2, "") and err.startswith(f"chainrule: error: {message}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_names_that_python_reads_as_one_are_one_name(capsys):
    code, out, err = run(capsys, "x", "x=1", "--name", "\uff58")
    assert (code, out) == (2, "")
    assert err == (
        "chainrule: error: --name \uff58: x is also a variable of the expression (as '\uff58': the same name to "
        "Python); give the output another name, e.g. --name L\n"
    )
    code, _, err = run(capsys, "x*2", "\uff58=1", "x=2")
    assert code == 2 and "binding 'x=2': x is given twice (as '\uff58': the same name to Python)" in err
    assert run(capsys, "x*2", "\uff58=3") == (0, "J     = 6\n∂J/∂x = 2\n", "")  # used, so no warning


@pytest.mark.parametrize(
    "argv",
    [
        ["x*2", "--name", "L", "x=1"],
        ["--name", "L", "x*2", "x=1"],
        ["x*2", "x=1", "--name", "L"],
        ["--name", "L", "--", "x*2", "x=1"],
    ],
)
def test_bindings_may_come_before_or_after_the_options(capsys, argv):
    assert run(capsys, *argv) == (0, "L     = 2\n∂L/∂x = 2\n", "")


def test_after_two_dashes_everything_is_the_expression_and_bindings(capsys):
    code, out, _ = run(capsys, "--json", "--", "-a*b", "a=1", "b=2")
    assert code == 0 and json.loads(out)["gradient"] == {"a": -2.0, "b": -1.0}


@pytest.mark.parametrize(
    "words, quoted",
    [
        (["--expect", "b", "=", "3*c"], '--expect "b = 3*c"'),
        (["--expect", "b", "=3*c"], '--expect "b =3*c"'),
        (["--expect", "b=", "3*c"], '--expect "b= 3*c"'),
        (["--expect=b", "=", "3*c"], '--expect "b = 3*c"'),
        (["--expect", "b", "=", "3*c", "--json"], '--expect "b = 3*c"'),
    ],
)
def test_an_expect_with_spaces_says_to_quote_it(capsys, words, quoted):
    code, out, err = run(capsys, "3*(a + b*c)", "a=5", "b=3", "c=2", *words)
    assert (code, out) == (2, "")
    assert err == (
        f"chainrule: error: --expect with spaces is several arguments to the shell: quote it, {quoted} "
        "(or write it without spaces)\n"
    )


def test_a_binding_with_spaces_says_to_write_it_without(capsys):
    code, _, err = run(capsys, "a*2", "a", "=", "5")
    assert code == 2 and err.rstrip().endswith("(without spaces: a=5)")


def test_an_undefined_derivative_is_marked_and_the_others_printed(capsys):
    code, out, err = run(capsys, "sqrt(x) + 3*y", "x=0", "y=2")
    assert code == 2
    assert out == "J     = 6\n∂J/∂x: undefined: sqrt at 0 has a vertical slope\n∂J/∂y = 3\n"
    assert err == "chainrule: error: ∂J/∂x is undefined at these values\n"
    code, out, _ = run(capsys, "sqrt(x)", "x=0")
    assert (code, out) == (2, "J     = 0\n∂J/∂x: undefined: sqrt at 0 has a vertical slope\n")
    code, out, _ = run(capsys, "x**y", "x=-1", "y=2")  # (-1) ** y is real only at integer y: no slope in y
    assert code == 2 and out.splitlines()[:2] == ["J     = 1", "∂J/∂x = -2"]
    assert out.splitlines()[2].startswith("∂J/∂y: undefined: (-1) ** 2: ") and "only at integer y" in out


def test_an_undefined_derivative_in_json_is_null_with_its_reason(capsys):
    code, out, _ = run(capsys, "sqrt(x) + 3*y", "x=0", "y=2", "--json")
    assert code == 2
    assert json.loads(out) == {
        "expression": "sqrt(x) + 3*y",
        "name": "J",
        "value": 6.0,
        "gradient": {"x": None, "y": 3.0},
        "undefined": {"gradient": {"x": "sqrt at 0 has a vertical slope"}},
    }


def test_an_undefined_second_derivative(capsys):
    code, out, err = run(capsys, "x**1.5 + x*y", "x=0", "y=2", "--order", "2")
    assert code == 2 and err == "chainrule: error: ∂²J/∂x∂x is undefined at these values\n"
    assert out == (
        "J     = 0\n∂J/∂x = 2\n∂J/∂y = 0\n\nHessian ∂²J/∂row ∂column:\n"
        "           x  y\nx  undefined  1\ny          1  0\nundefined: 0 ** 0.5 has a vertical slope\n"
    )
    _, out, _ = run(capsys, "x**1.5 + x*y", "x=0", "y=2", "--order", "2", "--json")
    result = json.loads(out)
    assert result["hessian"] == {"x": {"x": None, "y": 1.0}, "y": {"x": 1.0, "y": 0.0}}
    assert result["undefined"] == {"hessian": {"x": {"x": "0 ** 0.5 has a vertical slope"}}}


def test_an_undefined_derivative_skips_the_checks_and_writes_no_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "sqrt(x)", "x=0", "--check", "--expect", "x=1", "--graph", "g.dot")
    assert code == 2 and out.startswith("J     = 0\n∂J/∂x: undefined")
    assert err == (
        "chainrule: error: ∂J/∂x is undefined at these values; --check, --expect and --graph need every "
        "derivative, so not run\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_version(capsys):
    import autograd

    assert run(capsys, "--version") == (0, f"chainrule {autograd.__version__}\n", "")


def test_a_hand_derivation_that_fails_at_the_values_says_it_is_the_expect(capsys):
    code, _, err = run(capsys, "x*y", "x=1", "y=2", "--expect", "x=1/0")
    assert code == 2 and err.startswith("chainrule: error: --expect 'x=1/0': at these values, /: division by zero")
    code, _, err = run(capsys, "x*y", "x=1", "y=2", "--expect", "x=log(-1)")
    assert code == 2 and "--expect 'x=log(-1)': at these values, log: log(-1.0) is undefined" in err


def test_an_expect_name_is_read_as_python_reads_it(capsys):
    code, out, _ = run(capsys, "ｘ*y", "ｘ=1", "y=2", "--expect", "ｘ=y")  # full-width x is x
    assert code == 0 and "check_derivatives passed" in out


def test_graph_and_steps_through_a_link_to_one_file_are_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.svg").write_text("keep")
    (tmp_path / "link.html").symlink_to("keep.svg")
    code, _, err = run(capsys, "x", "x=1", "--graph", "keep.svg", "--steps", "link.html")
    assert code == 2 and "name the same file" in err and (tmp_path / "keep.svg").read_text() == "keep"
