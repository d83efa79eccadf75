import numpy as np
import pytest

from nn import gates


@pytest.fixture(scope="module")
def levels():
    return {lv.id: lv for lv in gates.load_levels()}


def _params(level, **arrays):
    return {k: np.asarray(v, float) for k, v in arrays.items()}


def test_the_talks_official_answers_solve_their_levels(levels):
    # exactly the talk's answers, each with one row exactly on 0 (a >= 0 step would fail them)
    assert gates.evaluate(levels["or"], _params(levels["or"], W=[[1, 1]], b=[0])).solved
    assert gates.evaluate(levels["and"], _params(levels["and"], W=[[1, 1]], b=[-1])).solved
    assert gates.evaluate(levels["not"], _params(levels["not"], W=[[-1]], b=[1])).solved
    xor = _params(levels["xor"], W1=[[1, -1], [-1, 1]], b1=[0, 0], W2=[[1, 1]], b2=[0])
    assert gates.evaluate(levels["xor"], xor).solved


def test_strict_step_at_zero():
    assert gates.step(np.array([-1e-9, 0.0, 1e-9])).tolist() == [0, 0, 1]


def test_every_shipped_level_has_its_stored_solution_checked(levels):
    assert len(levels) >= 11
    for level in levels.values():
        if level.unsolvable:
            assert level.solution is None
            continue
        assert gates.evaluate(level, gates.solution_params(level)).solved, level.id


def test_wrong_answers_are_not_solved(levels):
    ev = gates.evaluate(levels["and"], _params(levels["and"], W=[[1, 1]], b=[0]))   # that is OR
    assert not ev.solved and ev.correct.tolist() == [True, False, False, True]


def test_xor_with_one_perceptron_is_proved_unsolvable(levels):
    wall = levels["xor-wall"]
    result = gates.separability(wall.x, wall.y)
    assert not result.separable
    np.testing.assert_allclose(result.point, [0.5, 0.5])
    assert sorted(result.positives) == [1, 2] and sorted(result.negatives) == [0, 3]


def test_separable_levels_get_a_witness(levels):
    for lid in ("not", "or", "and", "nand", "nor", "a-and-not-b", "majority"):
        lv = levels[lid]
        res = gates.separability(lv.x, lv.y)
        assert res.separable and np.array_equal(gates.step(lv.x @ res.weights + res.bias), lv.y.ravel())


def test_gradient_descent_solves_xor_with_a_hidden_layer(levels):
    lv = levels["xor"]
    rng = np.random.default_rng(3)
    p = {k: rng.normal(0, 1, s) for k, s in lv.shapes.items()}
    first, _ = gates.descend(lv, p, lr=2.0, steps=1)
    _, c0 = gates.descend(lv, p, lr=0.0, steps=1)
    p, c = gates.descend(lv, p, lr=2.0, steps=3000)
    assert c < c0 / 5
    from nn.model import sigmoid
    a = sigmoid(sigmoid(lv.x @ p["W1"].T + p["b1"]) @ p["W2"].T + p["b2"])
    assert np.array_equal((a > 0.5).astype(int), lv.y)


def test_sigmoid_gradient_matches_finite_differences(levels):
    for lid in ("and", "xor", "half-adder"):
        lv = levels[lid]
        rng = np.random.default_rng(0)
        p = {k: rng.normal(0, 1, s) for k, s in lv.shapes.items()}
        _, grad = gates.sigmoid_cost_and_grad(lv, p)
        for name, idx, _ in lv.param_names():
            up = {k: v.copy() for k, v in p.items()}
            dn = {k: v.copy() for k, v in p.items()}
            up[name][idx] += 1e-6
            dn[name][idx] -= 1e-6
            numeric = (gates.sigmoid_cost_and_grad(lv, up)[0] - gates.sigmoid_cost_and_grad(lv, dn)[0]) / 2e-6
            assert grad[name][idx] == pytest.approx(numeric, abs=1e-6)
