"""chainrule/errors.py: the exit statuses, and bad input reported on one line with status 2."""

from __future__ import annotations

from chainrule.cli import main
from chainrule.errors import EXIT_CHECK_FAILED, EXIT_ERROR, EXIT_OK, CommandError


def test_the_exit_statuses_are_0_1_and_2() -> None:
    assert (EXIT_OK, EXIT_CHECK_FAILED, EXIT_ERROR) == (0, 1, 2)
    assert issubclass(CommandError, Exception)


def test_a_command_error_ends_the_command_with_status_2_and_one_line(capsys) -> None:
    assert main(["a", "a=x"]) == EXIT_ERROR
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        "chainrule: error: binding 'a=x': 'x' is not a number nor a constant: a value may use numbers, pi, e and "
        "the functions, as in 0.5, -1e-3, pi/2 or sqrt(2)\n",
    )
    assert main(["relu(a)", "a=0", "--check"]) == EXIT_CHECK_FAILED
    assert main(["relu(a)", "a=1", "--check"]) == EXIT_OK
