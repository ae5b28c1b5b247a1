"""autograd/naming.py: labels become names only when they are plain identifiers; comments cannot end early."""

from __future__ import annotations

import math

import pytest

from autograd.compile.naming import Bindings, Names, comment, identifier


@pytest.mark.parametrize(
    "label, name",
    [
        ("z", "z"),
        ("w[0]", "w_0"),
        ("layers.0.neurons.3.w.1", "layers_0_neurons_3_w_1"),
        ("__x", "x"),  # names starting with _ are the compiler's
        ("a + b*c", None),
        ("x\nimport os", None),
        ("ŷ", None),  # not ASCII: Python would fold some letters into others (NFKC)
        ("2x", None),
        ("lambda", None),
        ("", None),
        ("a" * 61, None),
    ],
)
def test_identifier(label, name):
    assert identifier(label) == name


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "a\u2028b", "a\x85b", "a\x0cb", "a\x00b"])
def test_comments_escape_every_character_that_could_end_a_line(text):
    safe = comment(text)
    assert len(safe.splitlines()) == 1 and safe.isprintable() and safe.startswith("a") and safe.endswith("b")


def test_comments_are_cut_to_80_characters():
    assert comment("x" * 200) == "x" * 77 + "..."


def test_names_are_handed_out_once():
    names = Names()
    assert [names.derive("z"), names.derive("z"), names.derive("z"), names.derive("class")] == [
        "z",
        "z_2",
        "z_3",
        "class_2",
    ]
    assert [names.fresh(), names.fresh()] == ["t1", "t2"]
    names.derive("t3")
    assert names.fresh() == "t4"


def test_bindings_name_objects_once_and_say_what_they_are():
    b = Bindings(vector=False)
    assert b.bind(math.hypot, "hypot") == "_hypot" == b.bind(math.hypot, "other")
    assert b.bind(math.atan2, "hypot") == "_hypot_2"
    assert b.bind(len, "**") == "_pow"  # an op's name as a word
    assert b.bind(abs, "x") == "_abs"  # a helper the templates already use
    assert b["__builtins__"] == {}  # generated code can reach no builtin by name
    assert b.legend("_hypot(x)") == ["# _hypot: math.hypot"]
