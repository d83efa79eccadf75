"""One epoch of the talk's recipe reaches >= 90% on both backends (about 2 s each here)."""
import numpy as np
import pytest

from nn.model import MLP
from nn.trainer import Diverged, TrainConfig, Trainer


@pytest.mark.parametrize("which", ["numpy", "opencl"])
def test_one_epoch_of_the_recipe_reaches_90_percent(request, mnist, which):
    backend = request.getfixturevalue("numpy_backend" if which == "numpy" else "opencl")
    train, test = mnist
    trainer = Trainer(MLP(), backend, train, test, TrainConfig(epochs=1, seed=0))
    trainer.run(10**9)
    assert trainer.epoch == 1 and trainer.step == 6000
    assert trainer.accuracy[0] >= 0.90
    assert trainer.costs[-1][1] < 0.2  # the epoch-mean cost; it starts near 1.7


def test_divergence_restores_weights_and_says_so(numpy_backend, mnist):
    train, test = mnist
    trainer = Trainer(MLP(activation="relu"), numpy_backend, train, test, TrainConfig(lr=1e30, seed=0))
    with pytest.raises(Diverged, match="learning rate"), np.errstate(all="ignore"):
        for _ in range(50):
            trainer.run(20)
    assert np.isfinite(trainer.theta).all()  # restored to the last finite weights


def test_trainer_thread_publishes_snapshots_and_obeys_commands(numpy_backend, mnist):
    import time
    from nn.trainer import TrainerThread
    train, test = mnist
    worker = TrainerThread(Trainer(MLP(), numpy_backend, train, test), running=False).start()
    try:
        worker.send("step", 5)
        deadline = time.time() + 10
        while worker.snapshot.step < 5 and time.time() < deadline:
            time.sleep(0.01)
        assert worker.snapshot.step == 5 and not worker.snapshot.running
        worker.send("lr", 0.5)
        worker.send("resume")
        while worker.snapshot.step < 200 and time.time() < deadline:
            time.sleep(0.01)
        snap = worker.snapshot
        assert snap.running and snap.step >= 200 and snap.lr == 0.5 and snap.costs
        worker.send("pause")
        time.sleep(0.2)
        paused_at = worker.snapshot.step
        time.sleep(0.2)
        assert worker.snapshot.step == paused_at
    finally:
        worker.stop()


def test_cost_history_stays_bounded_and_keeps_the_start(numpy_backend, mnist):
    from nn.trainer import MAX_COST_POINTS
    train, test = mnist
    trainer = Trainer(MLP(hidden=4), numpy_backend, train, None, TrainConfig(seed=0))
    for _ in range(MAX_COST_POINTS + 50):
        trainer.run(1)
    assert len(trainer.costs) <= MAX_COST_POINTS
    assert trainer.costs[0][0] == 1 and trainer.costs[-1][0] == trainer.step
