"""viz/page.py: the replay page's frame: its policy lets only its own script run, and the data the
script reads cannot end the script element."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from viz.page import POLICY, SCRIPT, page, script_data


def sample_page() -> str:
    data = {"frames": [[-1, [[0, "grad ?", "pending"]]]], "parents": [[]], "looks": {}, "hot": ["#e8590c", 3, 2.5]}
    formulas = [[("∂x/∂<y> = ", False), ("(local) <b>", True)]]
    return page("x & <y>", "<svg></svg>", formulas, ["<b>detail</b>"], [("#cfe2ff", "input")], data)


def test_only_the_pages_own_script_may_run() -> None:
    text = sample_page()
    (policy,) = re.findall(r'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', text)
    assert policy == POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    (script,) = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)  # the one script that runs
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert directives["script-src"] == f"'sha256-{digest}'" and script == SCRIPT


def test_the_data_block_is_json_that_cannot_close_its_script() -> None:
    data = {"text": "</script><script>alert(1)</script> & ∂"}
    block = script_data(data)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block) == data


def test_text_in_the_page_is_escaped() -> None:
    text = sample_page()
    assert "<title>x &amp; &lt;y&gt;</title>" in text
    assert "&lt;b&gt;detail&lt;/b&gt;" in text and "<b>detail" not in text
    assert '∂x/∂&lt;y&gt; = <span class="local">(local) &lt;b&gt;</span>' in text  # local: in the edges' colour
    assert ".local { color: #c2255c; }" in text
    assert '<span class="swatch" style="background: #cfe2ff"></span>input' in text
