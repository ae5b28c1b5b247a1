"""Progress while training: a ``tqdm`` bar, which Jupyter draws as a widget and a terminal as text.

Off by default where the course's functions print their cost (``print_cost``), as the course does;
``progress=True`` turns it on. The bar only watches: it changes no result.
"""

from __future__ import annotations

from typing import Any

from tqdm.auto import tqdm


def progress_bar(total: int, progress: bool, description: str) -> Any:
    """A bar of ``total`` steps titled ``description``, or a silent one when ``progress`` is off.

    Advance it with ``bar.update()``, show numbers with ``bar.set_postfix(cost=...)``, and end it
    with ``bar.close()`` (or use it in a ``with`` block).

    >>> with progress_bar(3, False, "training") as bar:  # off: draws nothing
    ...     for _ in range(3):
    ...         bar.update()
    >>> bar.disable
    True
    """
    if not isinstance(progress, bool):
        raise TypeError(f"{description}: progress is True or False, got {type(progress).__name__} {progress!r}")
    return tqdm(total=total, desc=description, disable=not progress, unit="step", dynamic_ncols=True)
