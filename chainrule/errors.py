"""How the command ends: its exit statuses, and the error for bad input."""

from __future__ import annotations

EXIT_OK, EXIT_CHECK_FAILED, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a program that SIGPIPE stopped


class CommandError(Exception):
    """Bad input to the command: reported as one line on stderr, exit status 2."""
