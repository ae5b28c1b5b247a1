"""The quick test suite on every supported Python this machine has: ``nox`` (or ``nox -p 3.13``).

An interpreter that is not installed is skipped with a message (nox's "Missing interpreters"
setting, off here), so the session runs on whatever subset of 3.10-3.13 is at hand. ``.ci/run``
calls it for the Pythons other than the default one, on which it runs the full suite itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

#: setup.cfg's python_requires and classifiers say the same.
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.sessions = ["quick"]
nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = True

# nox finds a Python by its name (python3.10) on PATH. pyenv's shim of that name fails unless the
# version is selected, so each version pyenv installed goes on PATH itself.
_PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
_installed = [str(folder) for version in PYTHONS for folder in sorted(_PYENV_VERSIONS.glob(f"{version}.*/bin"))]
os.environ["PATH"] = os.pathsep.join([*_installed, os.environ.get("PATH", "")])


@nox.session(python=PYTHONS)
def quick(session: nox.Session) -> None:
    """``pytest -m "not slow"`` (about a minute), with the test and examples extras installed."""
    session.install("-e", ".[test,examples]")
    session.run("python", "-m", "pytest", "-m", "not slow", *session.posargs)
