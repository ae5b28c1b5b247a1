"""Render docs/architecture.dot into docs/architecture.svg with Graphviz's dot, as the docs show it.

python docs/render_architecture.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz's dot is not installed (Debian: apt-get install graphviz)", file=sys.stderr)
        return 2
    svg = subprocess.run([dot, "-Tsvg", str(HERE / "architecture.dot")], check=True, capture_output=True).stdout
    (HERE / "architecture.svg").write_bytes(svg)
    print(f"wrote {HERE / 'architecture.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
