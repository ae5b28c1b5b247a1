"""Names in generated code: identifiers from labels, comments that cannot end early, the objects it uses.

Generated code must not let a label or any other user text run as code. A label becomes a
variable name only if it is already a plain identifier up to ``.`` and ``[]`` (``w[0]`` is
``w_0``); anything else gets a generated name and appears only in a comment, with every
character that could end the line escaped. Names starting with ``_`` belong to the compiler (its
helpers, ``_exp``, ``_sum``, and the objects bound for the code); no label ever gets one.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from . import inline

OP_WORDS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}


def identifier(label: str) -> str | None:
    """``label`` as a Python name if it is one, up to ``.`` and ``[]`` (``w[0]`` is ``w_0``); else None.

    >>> identifier("layers.0.w.1"), identifier("w[0]"), identifier("a + b"), identifier("x\\nimport os")
    ('layers_0_w_1', 'w_0', None, None)
    """
    if not re.fullmatch(r"[A-Za-z0-9_.\[\]]{1,60}", label):
        return None
    name = "_".join(filter(None, re.split(r"[_.\[\]]+", label)))
    return None if not name or name[0].isdigit() or keyword.iskeyword(name) else name


def comment(text: str) -> str:
    """``text`` safe in a comment: every character that could end the line escaped, at most 80 long.

    >>> comment("a\\nimport os")
    'a\\\\nimport os'
    """
    safe = text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return safe if len(safe) <= 80 else safe[:77] + "..."


class Names:
    """Hands out the names of the generated code; ``_``-names are the compiler's, never a label's.

    >>> names = Names()
    >>> names.derive("z"), names.derive("z"), names.fresh()
    ('z', 'z_2', 't1')
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.count = 0

    def derive(self, base: str) -> str:
        name, n = base, 1
        while name in self.taken or keyword.iskeyword(name):
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name

    def fresh(self, prefix: str = "t") -> str:
        while True:
            self.count += 1
            if f"{prefix}{self.count}" not in self.taken:
                return self.derive(f"{prefix}{self.count}")


class Bindings(dict):
    """The objects the generated code uses, by name: helpers, constants, rules and forwards.

    >>> import math
    >>> bindings = Bindings(vector=False)
    >>> bindings.bind(math.hypot, "hypot"), bindings["_exp"] is math.exp
    ('_hypot', True)
    """

    def __init__(self, vector: bool) -> None:
        super().__init__(inline.HELPERS, _inf=float("inf"), _nan=float("nan"), _zip=zip, __builtins__={})
        if vector:
            from . import arrays  # numpy, only for code that uses it

            self.update(arrays.HELPERS)
        self.by_id = {id(v): k for k, v in self.items()}

    def bind(self, obj: Any, hint: str) -> str:
        if id(obj) in self.by_id:
            return self.by_id[id(obj)]
        base = "_" + (identifier(OP_WORDS.get(hint, hint)) or "f")
        name, n = base, 1
        while name in self:
            n += 1
            name = f"{base}_{n}"
        self[name], self.by_id[id(obj)] = obj, name
        return name

    def legend(self, used: str) -> list[str]:
        """One comment line per object that the source ``used`` refers to, saying what it is."""
        lines = []
        for name, obj in self.items():
            if name.startswith("__") or name not in used:  # (a longer name that starts alike may list one more)
                continue
            what = f"{getattr(obj, '__module__', None) or 'builtins'}.{getattr(obj, '__qualname__', '')}"
            lines.append(f"# {name}: {comment(what if callable(obj) else repr(obj))}")
        return lines
