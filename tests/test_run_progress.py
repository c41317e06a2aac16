"""Long runs: a progress bar when a person watches, and Ctrl-C that stops cleanly (issue 22)."""

import os
import signal
import sys
import threading
import types

import numpy as np
import pytest

import snnlib as snn
from snnlib.sim import progress


def _net(seed=7):
    net = snn.Network(seed=seed)
    pop = net.population(300, bias=1.3, label="pop")
    src = net.poisson(50, rate=20.0)
    net.connect_random(src, pop, p=0.2, weight=0.2)
    net.connect_random(pop, pop, p=0.05, weight=-0.02)
    return net, net.probe(pop), net.probe(pop, "voltage", indices=[0, 5])


def test_ctrl_c_stops_at_a_chunk_boundary_and_the_simulator_goes_on_with_the_same_spikes():
    net, sp, vp = _net()
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=20)
    sim.run(0.02)                               # compiled (or loaded) before the signal comes
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt, match="usable"):
        sim.run(10_000.0)                       # hours of work without the signal
    timer.join()
    stopped = sim.step
    assert 0 < stopped < 10_000_000 and stopped % 20 == 0
    assert sim.data[vp].shape == (stopped, 2)              # probes agree with sim.t
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler   # handler restored
    sim.run(0.1)                                           # usable: goes on from where it stopped
    ref = snn.Simulator(_net()[0], dt=1e-3, chunk_steps=20)
    ref.run(stopped * 1e-3 + 0.1)
    ref_sp = ref.data[ref.network.probes[0]]
    assert np.array_equal(sim.data[sp].times, ref_sp.times)
    assert np.array_equal(sim.data[sp].neurons, ref_sp.neurons)


def test_progress_bar_shows_simulated_time_for_a_long_run(monkeypatch):
    made = []

    class FakeBar:
        def __init__(self, total, initial, **kw):
            self.total, self.n, self.closed = total, initial, False
            made.append(self)

        def update(self, x):
            self.n += x

        def close(self):
            self.closed = True

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = FakeBar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    monkeypatch.setattr(progress, "THRESHOLD_S", 0.0)      # any run counts as long here
    net, _, _ = _net()
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=50)
    sim.run(0.5, progress=True)
    assert len(made) == 1 and made[0].total == pytest.approx(0.5)
    assert made[0].n == pytest.approx(0.5) and made[0].closed
    sim.run(0.5)                      # auto: off under pytest (not interactive)
    sim.run(0.5, progress=False)
    assert len(made) == 1
    monkeypatch.setenv("SNNLIB_PROGRESS", "1")
    sim.run(0.5)
    assert len(made) == 2


def test_progress_is_off_when_not_interactive(monkeypatch):
    monkeypatch.delenv("SNNLIB_PROGRESS", raising=False)
    assert not progress.interactive()                       # under pytest
    monkeypatch.setenv("SNNLIB_PROGRESS", "0")
    assert not progress.interactive()


def test_the_real_tqdm_draws_the_bar_in_a_terminal(monkeypatch, capsys):
    # tqdm is a dependency (pyproject.toml): the bar the learner sees, drawn as text on stderr outside Jupyter
    import tqdm  # noqa: F401  (no importorskip: a missing dependency must fail here)
    monkeypatch.setattr(progress, "THRESHOLD_S", 0.0)
    net, _, _ = _net()
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=50)
    sim.run(0.5, progress=True)
    err = capsys.readouterr().err
    assert "simulated:" in err and "/0.5 s" in err, err[-500:]
