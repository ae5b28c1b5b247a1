"""nn/layout.py: the limits every numpy function of nn keeps (its shape checks are tested where they are used)."""

from __future__ import annotations

from nn import layout


def test_the_limits_leave_the_courses_largest_runs_alone():
    # 3,000 steps of the week-4 application, [12288, 20, 7, 5, 1] on 209 pictures, and of logistic regression
    assert layout.check_iterations("L_layer_model", 3000, 209 * (12288 * 20 + 20 * 7 + 7 * 5 + 5)) == 3000
    assert layout.check_iterations("optimize", 3000, 12288 * 209) == 3000
    assert layout.check_iterations("L_layer_model", 10_000, 400 * (2 * 4 + 4)) == 10_000  # notebook 4
    layout.check_size("make_images", "X", 12288 * 209)  # the course's pictures
