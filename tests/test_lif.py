"""LIF neuron: simulated rates against the analytic formula, and the exact step function."""

import itertools
import math

import numpy as np
import pytest

import snnlib as snn
from snnlib.neurons.lif import lif_step
from snnlib.units import mV, ms


def simulate_rates(neuron, J, dt, t=2.0):
    net = snn.Network(seed=0)
    pop = net.population(len(J), neuron)
    net.input(pop, snn.Constant(J))
    probe = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=dt)
    sim.run(t)
    return sim.data[probe].rates()


@pytest.mark.parametrize("J, expected", [(1.5, 41.7149), (2.0, 63.0400), (5.0, 154.7300)])
def test_known_rates(J, expected):
    assert snn.LIF().rates(J) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize("dt", [1e-3, 1e-4, 2e-3])  # a neuron spikes at most once per step: rate < 1/dt
def test_simulated_rate_equals_analytic_within_1_percent(dt):
    lif = snn.LIF()
    J = np.array([1.05, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0, 50.0])
    simulated = simulate_rates(lif, J, dt, t=4.0)
    analytic = lif.rates(J)
    # a rate is measured as a spike count over 4 s: allow one spike of quantisation on top of 1 %
    assert np.all(np.abs(simulated - analytic) <= 0.01 * analytic + 1 / 4.0)


def test_si_units_rate_matches_formula():
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-70 * mV)
    J = np.array([21, 25, 30, 40]) * mV       # rheobase is 20 mV
    analytic = 1 / (5 * ms + 20 * ms * np.log((-70 * mV + J + 60 * mV) / (-70 * mV + J + 50 * mV)))
    assert np.allclose(lif.rates(J), analytic)
    assert np.allclose(simulate_rates(lif, J, 1e-4, t=4.0), analytic, rtol=0.01, atol=0.25)


def test_no_spikes_at_or_below_rheobase_and_saturation():
    lif = snn.LIF()
    rates = simulate_rates(lif, np.array([0.0, 0.5, 1.0, 1e6]), 1e-3, t=1.0)
    assert list(rates[:3]) == [0, 0, 0]
    assert lif.rates(1e6) == pytest.approx(1 / lif.tau_ref, rel=1e-3)
    assert rates[3] == pytest.approx(1 / lif.tau_ref, rel=0.01)


def test_step_function_exact_integration():
    # below threshold the step is the exact exponential relaxation
    v, ref, spiked = lif_step(0.2, 0.0, 0.8, 1e-3, 0.02, 0.002, 1.0, 0.0, 0.0)
    assert not spiked and ref == 0.0
    assert v == pytest.approx(0.8 + (0.2 - 0.8) * math.exp(-1e-3 / 0.02), rel=1e-12)
    # fully refractory: voltage held
    v, ref, spiked = lif_step(0.0, 0.0015, 5.0, 1e-3, 0.02, 0.002, 1.0, 0.0, 0.0)
    assert (v, spiked) == (0.0, False) and ref == pytest.approx(0.0005)


def test_spike_crossing_time_carries_into_refractory_period():
    # from v just below threshold with large drive, the crossing happens early in the step
    tau, dt, J = 0.02, 1e-3, 2.0
    v0 = 0.99
    t_cross = tau * math.log((J - v0) / (J - 1.0))
    v, ref, spiked = lif_step(v0, 0.0, J, dt, tau, 0.002, 1.0, 0.0, 0.0)
    assert spiked and v == 0.0
    assert ref == pytest.approx(0.002 - (dt - t_cross), rel=1e-9)


def test_simulate_lif_entry_point():
    result = snn.simulate_lif(2.0, t_stop=1.0)
    assert result.rate == pytest.approx(63.04, abs=1.0)
    assert result.v.shape == result.t.shape == (1000,)
    assert np.all(result.v < 1.0)


def _update_before(v, ref, J, dt, zero, v_th, v_rest, a_rc):
    """`lif_update` as it was before session 8 shared its compares (two tests of ref, an IEEE select for the
    next refractory time): the new one must give the same bits for every input."""
    vn = v + (v_rest + J - v) * (a_rc if ref <= 0.0 else zero)
    partial = (ref > 0.0) & (ref < dt)
    needs_exact = (vn > v_th) | partial
    rn = ref - dt
    return (v if needs_exact else vn), (ref if needs_exact else (rn if rn > 0.0 else zero)), needs_exact


def _edge_grid(dtype):
    """Every combination of edge values of (v, ref, J, dt) as flat arrays: NaN, infinities, signed zeros,
    denormals, the threshold, and refractory times at, and one ulp either side of, 0 and dt."""
    f = np.finfo(dtype)
    dt = dtype(1e-4)
    edge = [np.nan, np.inf, -np.inf, 0.0, -0.0, f.smallest_subnormal, -f.smallest_subnormal, f.tiny, 1.0, -1.0]
    refs = edge + [dt, np.nextafter(dt, dtype(0)), np.nextafter(dt, dtype(1)), 2 * dt, dt / 2, 5e-3, -dt]
    vs = edge + [np.nextafter(dtype(1), dtype(0)), np.nextafter(dtype(1), dtype(2)), 0.5]
    dts = [dt, dtype(1e-3), f.smallest_subnormal, 0.0, np.nan]
    grid = np.array(list(itertools.product(vs, refs, edge, dts)), dtype=dtype).T
    return grid                             # rows: v, ref, J, dt


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_update_gives_the_same_bits_as_before_its_compares_were_shared(dtype):
    """lif_update's `partial` reuses the `ref <= 0` compare and its next refractory time is max(zero, rn)
    (one x86 max instruction); both must keep the earlier expression's bits over NaN, signed zeros, denormals
    and refractory edges, in plain Python and compiled in a vectorisable loop."""
    import numba

    from snnlib.neurons.lif import lif_update

    v, ref, J, dt = _edge_grid(dtype)
    zero, v_th, v_rest, a_rc = dtype(0.0), dtype(1.0), dtype(0.0), dtype(0.00498)

    def run(update):
        def loop(v, ref, J, dt, out_v, out_r, out_f):
            for k in range(v.shape[0]):
                out_v[k], out_r[k], out_f[k] = update(v[k], ref[k], J[k], dt[k], zero, v_th, v_rest, a_rc)
        return loop

    results = {}
    for name, update in (("before", _update_before), ("now", lif_update)):
        for mode in ("python", "jit"):
            outs = (np.empty_like(v), np.empty_like(v), np.zeros(v.shape, dtype=np.bool_))
            loop = run(update) if mode == "python" else numba.njit(run(numba.njit(update)))
            with np.errstate(all="ignore"):        # NaN and infinite inputs, on purpose
                loop(v, ref, J, dt, *outs)
            results[name, mode] = outs
    int_t = np.int32 if dtype == np.float32 else np.int64
    for mode in ("python", "jit"):
        (bv, br, bf), (nv, nr, nf) = results["before", mode], results["now", mode]
        assert np.array_equal(bv.view(int_t), nv.view(int_t)), mode
        assert np.array_equal(br.view(int_t), nr.view(int_t)), mode
        assert np.array_equal(bf, nf), mode
    # the grid reaches both branches and the cases the rewrite could change: a NaN and a -0.0 next refractory time
    _, br, bf = results["before", "jit"]
    assert bf.any() and not bf.all()
    assert np.isnan(br).any() and (np.signbit(br) & (br == 0)).any()
