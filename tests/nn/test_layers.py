"""nn/layers.py: Neuron, Layer, MLP: exact outputs, graph shape, gradients, names, and micrograd's order."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

import nn
from autograd import Parameter, Value, gradcheck


def neuron_with(weights, bias, activation):
    n = nn.Neuron(len(weights), activation=activation)
    n.load_state_dict({**{f"w.{i}": w for i, w in enumerate(weights)}, "b": bias})
    return n


@pytest.mark.parametrize(
    "activation, expected",
    [("linear", -0.5), ("relu", 0.0), ("tanh", math.tanh(-0.5)), ("sigmoid", 1 / (1 + math.exp(0.5)))],
)
def test_neuron_output_is_activation_of_weighted_sum(activation, expected):
    # w·x + b = 2*1 + (-1)*3 + 0.5 = -0.5
    n = neuron_with([2.0, -1.0], 0.5, activation)
    assert n([1.0, 3.0]).data == pytest.approx(expected, rel=1e-15)


def test_neuron_is_one_dot_node_then_one_activation_node():
    n = neuron_with([2.0, -1.0, 0.25], 0.5, "tanh")
    x = [Value(1.0), Value(3.0), Value(4.0)]
    out = n(x)
    assert out.op == "tanh"
    (z,) = out.parents
    assert z.op == "dot"
    assert z.parents == (*n.w, *x, n.b)
    assert neuron_with([1.0], 0.0, "linear")([2.0]).op == "dot"


def test_neuron_gradients_match_hand_derivation():
    # out = relu(w·x + b) with z = 0.5 > 0: dout/dw_i = x_i, dout/db = 1, dout/dx_i = w_i
    n = neuron_with([2.0, -1.0], 0.5, "relu")
    x = [Value(1.0), Value(1.0)]
    n(x).backward()
    assert [w.grad for w in n.w] == [1.0, 1.0]
    assert n.b.grad == 1.0
    assert [xi.grad for xi in x] == [2.0, -1.0]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_neuron_gradcheck_in_weights_bias_and_inputs(activation):
    def f(w0, w1, b, x0, x1):
        n = nn.Neuron(2, activation=activation)
        n.w, n.b = [w0, w1], b  # the Values gradcheck differentiates by
        return n([x0, x1])

    assert gradcheck(f, 0.3, -0.7, 0.1, 1.5, 0.4)


def test_mlp_gradcheck_through_two_layers():
    model = nn.MLP(2, [3, 1], activation="tanh", seed=4)
    start = [p.data for p in model.parameters()]

    def f(*args):
        # the model's own forward pass, with gradcheck's Values in the parameters' places
        *ps, x0, x1 = args
        given = iter(ps)
        for layer in model.layers:
            for neuron in layer.neurons:
                neuron.w = [next(given) for _ in range(neuron.nin)]
                neuron.b = next(given)
        return model([x0, x1])

    assert len(start) == 13
    assert gradcheck(f, *start, 0.5, -0.25)


def test_layer_returns_a_list_and_hidden_width_one_works():
    layer = nn.Layer(2, 1, rng=random.Random(0))
    out = layer([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 1
    model = nn.MLP(2, [1, 3], seed=0)  # a width-1 hidden layer feeding a width-3 output
    out = model([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(nn.MLP(2, [4, 1], seed=0)([1.0, 2.0]), Value)


def test_mlp_repr_names_labels_and_order():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    assert repr(model) == "MLP(2 -> [16 relu, 16 relu, 1 linear], 337 parameters)"
    assert repr(nn.MLP(3, [4, 2], activation="tanh", seed=0)) == "MLP(3 -> [4 tanh, 2 linear], 26 parameters)"
    named = model.named_parameters()
    assert len(named) == 337
    assert named[0][0] == "layers.0.neurons.0.w.0"
    assert named[2][0] == "layers.0.neurons.0.b"
    assert named[3][0] == "layers.0.neurons.1.w.0"
    assert named[-1][0] == "layers.2.neurons.0.b"
    assert [n for n, _ in named if n.startswith("layers.0.neurons.3")] == [
        "layers.0.neurons.3.w.0",
        "layers.0.neurons.3.w.1",
        "layers.0.neurons.3.b",
    ]
    assert all(isinstance(p, Parameter) and p.label == name for name, p in named)
    assert model.parameters() == [p for _, p in named]


def test_parameter_order_is_microgrades_so_outputs_match_number_for_number():
    micrograd_nn = pytest.importorskip(
        "micrograd.nn", reason="micrograd is not installed (the test extra: pip install -e '.[test]')"
    )
    from micrograd.engine import Value as MicroValue

    random.seed(7)
    micro = micrograd_nn.MLP(2, [16, 16, 1])
    ours = nn.MLP(2, [16, 16, 1])
    names = [name for name, _ in ours.named_parameters()]
    ours.load_state_dict(dict(zip(names, [float(p.data) for p in micro.parameters()])))
    for x in ([0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]):
        m_out = micro([MicroValue(v) for v in x])
        o_out = ours(x)
        assert o_out.data == pytest.approx(m_out.data, abs=1e-12)
        m_out.backward()
        ours.zero_grad()
        o_out.backward()
        for p_m, p_o in zip(micro.parameters(), ours.parameters()):
            assert p_o.grad == pytest.approx(p_m.grad, abs=1e-12)
        micro.zero_grad()


def test_same_seed_same_model_and_weights_in_range():
    a, b = nn.MLP(2, [5, 1], seed=3), nn.MLP(2, [5, 1], seed=3)
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != nn.MLP(2, [5, 1], seed=4).state_dict()
    for name, x in a.state_dict().items():
        if name.endswith(".b"):
            assert x == 0.0
        else:
            assert -1.0 <= x <= 1.0


def test_sizes_may_be_numpy_integers():
    import numpy as np

    assert repr(nn.MLP(np.int64(2), [np.int64(3), 1], seed=0)) == "MLP(2 -> [3 relu, 1 linear], 13 parameters)"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: nn.Neuron(0), "nin must be a positive int, got 0"),
        (
            lambda: nn.Neuron(2, activation="gelu"),
            "unknown activation 'gelu'; choose one of 'relu', 'tanh', 'sigmoid', 'linear'",
        ),
        (lambda: nn.Neuron(2, activation=["relu"]), "unknown activation ['relu']"),
        (lambda: nn.Layer(2, True), "nout must be a positive int, got True"),
        (lambda: nn.MLP(2, []), "nouts must be a non-empty list"),
        (lambda: nn.MLP(2, 16), "nouts must be a non-empty list"),
        (lambda: nn.MLP(2, [16, 0]), "every layer width in nouts [16, 0]"),
    ],
)
def test_bad_construction_is_refused_clearly(make, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        make()


def test_wrong_input_length_names_the_model():
    with pytest.raises(ValueError, match=r"MLP\(2 -> \[3 relu, 1 linear\], 13 parameters\): expected 2 inputs, got 3"):
        nn.MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"Neuron\(2, relu\): expected 2 inputs, got 1"):
        nn.Neuron(2)([1.0])
    with pytest.raises(ValueError, match=r"Layer\(2 -> 3 relu\): expected 2 inputs, got 1"):
        nn.Layer(2, 3)([1.0])
    with pytest.raises(TypeError, match=r"Neuron\(2, relu\): an input is a sequence of 2 numbers, got float"):
        nn.Neuron(2)(1.0)
    with pytest.raises(TypeError, match=r"Value needs a real number .* got str 'a'"):
        nn.MLP(2, [3, 1], seed=0)([1.0, "a"])


def test_a_numpy_row_is_one_input():
    model = nn.MLP(2, [3, 1], seed=0)
    X = np.array([[0.5, -1.0], [2.0, 3.0]])
    assert model(X[0]).data == model([0.5, -1.0]).data
    assert model(X[1].astype(np.float32)).data == model([2.0, 3.0]).data
    assert [v.data for v in nn.Layer(2, 3, rng=random.Random(0))(X[0])] == [
        v.data for v in nn.Layer(2, 3, rng=random.Random(0))([0.5, -1.0])
    ]
    assert nn.Neuron(2, rng=random.Random(0))(X[0]).data == nn.Neuron(2, rng=random.Random(0))([0.5, -1.0]).data
    with pytest.raises(ValueError, match=r"MLP\(2 -> .*\): expected 2 inputs, got 3"):
        model(np.zeros(3))


def test_the_whole_data_set_where_one_example_belongs_is_explained():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(
        TypeError, match=r"MLP\(2 -> .*\): one example at a time: pass X\[i\], not X \(got an array of shape \(4, 2\)"
    ):
        model(np.zeros((4, 2)))
    with pytest.raises(
        TypeError, match=r"Neuron\(2, relu\): an input is a sequence of 2 numbers, got float64 np.float64\(1.0\)"
    ):
        nn.Neuron(2)(np.float64(1.0))
    with pytest.raises(
        TypeError, match=r"Neuron\(2, relu\): an input is a sequence of 2 numbers, got an array of shape \(1, 1, 2\)"
    ):
        nn.Neuron(2)(np.zeros((1, 1, 2)))


def test_layer_gradcheck_in_weights_and_inputs():
    layer = nn.Layer(2, 2, activation="sigmoid", rng=random.Random(1))
    start = [p.data for p in layer.parameters()]
    assert [name for name, _ in layer.named_parameters()][:3] == ["neurons.0.w.0", "neurons.0.w.1", "neurons.0.b"]

    def f(*args):
        *ps, x0, x1 = args
        given = iter(ps)
        for neuron in layer.neurons:
            neuron.w = [next(given), next(given)]
            neuron.b = next(given)
        a, b = layer([x0, x1])
        return a * b  # one number that depends on both outputs

    assert gradcheck(f, *start, 0.7, -1.1)


# Initialisation: init="uniform" (micrograd's), "small" (week 3), "xavier" and "he" (week 4)


def test_the_default_init_is_unchanged_uniform_from_the_seeded_generator():
    rng = random.Random(0)
    expected = [rng.uniform(-1.0, 1.0) for _ in range(2)]
    model = nn.MLP(2, [3, 1], seed=0)
    assert [p.data for p in model.layers[0].neurons[0].w] == expected
    assert [p.data for p in nn.MLP(2, [3, 1], seed=0, init="uniform").parameters()] == [
        p.data for p in model.parameters()
    ]


@pytest.mark.parametrize(
    "init, std",
    [("small", 0.01), ("xavier", 1 / math.sqrt(400)), ("he", math.sqrt(2 / 400)), ("uniform", 1 / math.sqrt(3))],
)
def test_each_init_draws_weights_with_its_spread_and_zero_biases(init, std):
    layer = nn.Layer(400, 50, rng=random.Random(1), init=init)  # 20,000 weights: the sample std is within ~1%
    weights = np.array([w.data for n in layer.neurons for w in n.w])
    assert weights.std() == pytest.approx(std, rel=0.03)
    assert abs(weights.mean()) < 0.05 * std
    assert all(n.b.data == 0.0 for n in layer.neurons)
    if init == "uniform":
        assert np.abs(weights).max() <= 1.0


def test_the_same_seed_and_init_build_the_same_model():
    first = nn.MLP(3, [4, 1], activation="tanh", seed=7, init="he").state_dict()
    assert nn.MLP(3, [4, 1], activation="tanh", seed=7, init="he").state_dict() == first
    assert nn.MLP(3, [4, 1], activation="tanh", seed=8, init="he").state_dict() != first


@pytest.mark.parametrize("make", [lambda: nn.MLP(2, [1], init="glorot"), lambda: nn.Neuron(2, init=None)])
def test_an_unknown_init_names_the_choices(make):
    with pytest.raises(ValueError, match=r"unknown init .*'uniform', 'small', 'xavier', 'he'"):
        make()


@pytest.mark.slow
def test_xavier_and_he_start_the_course_network_near_log_2_where_uniform_is_far():
    # The course's 4-layer shape [20, 7, 5, 1] on pictures in [0, 1]; 1,024 pixels instead of 12,288
    # keeps the scalar forward fast, and the scaled inits do not depend on the width (z ~ one pixel).
    X, Y = nn.datasets.make_images(m=10, n_x=1024, seed=0)

    def first_cost(init):
        model = nn.MLP(1024, [20, 7, 5, 1], seed=1, init=init)
        z = [model(X[:, i]) for i in range(X.shape[1])]
        return nn.losses.mean([nn.losses.bce_with_logits(zi, float(y)) for zi, y in zip(z, Y[0])]).data

    costs = {init: first_cost(init) for init in ("uniform", "small", "xavier", "he")}
    assert costs["uniform"] > 1.4  # 41.2 at 12,288 pixels (tests/nn/test_deep.py): z grows with the width
    assert costs["small"] == pytest.approx(math.log(2), abs=1e-3)
    assert costs["xavier"] == pytest.approx(math.log(2), abs=0.05), costs
    assert costs["he"] == pytest.approx(math.log(2), abs=0.05), costs


@pytest.mark.parametrize("bad", [math.inf, -math.inf])
def test_an_infinite_input_is_refused_not_turned_into_nan(bad):
    with pytest.raises(ValueError, match=rf"input x.0 is {bad!r}; a model takes finite numbers"):
        nn.MLP(2, [3, 1], seed=0)([bad, 1.0])
    with pytest.raises(ValueError, match=rf"input x.1 is {bad!r}"):
        nn.Layer(2, 3, rng=random.Random(0))([1.0, bad])


def test_a_model_too_large_for_the_scalar_engine_is_refused_before_it_is_made():
    with pytest.raises(ValueError, match=r"^MLP: 1,000,001,000,000 parameters, over the limit of 2,000,000"):
        nn.MLP(10**6, [10**6])  # (10**6 + 1) * 10**6 weights and biases
    with pytest.raises(ValueError, match=r"^Neuron: 2,000,001 parameters"):
        nn.Neuron(2_000_000)
    with pytest.raises(ValueError, match=r"^Layer: 2,000,002 parameters"):
        nn.Layer(1_000_000, 2)
    assert (
        nn.MLP(12288, [20, 7, 5, 1], seed=0).num_parameters() == 245_973
    )  # the course's week 4 is made: 12288·20+20 + 20·7+7 + 7·5+5 + 5+1


def test_rng_and_seed_of_the_wrong_kind_are_refused_saying_what_works():
    with pytest.raises(TypeError, match=r"^Neuron: rng must be a random.Random \(or None\).*got int 5"):
        nn.Neuron(2, rng=5)
    with pytest.raises(TypeError, match=r"^Layer: rng must be a random.Random"):
        nn.Layer(2, 3, rng="x")
    with pytest.raises(TypeError, match=r"^MLP: seed must be an int .*got \[1\]"):
        nn.MLP(2, [1], seed=[1])
