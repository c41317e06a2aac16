"""Spike-train statistics, encoders and firing-pattern features at their edges: exact values on small
hand-made trains, the boundaries of every accepted range (the edge value itself accepted or refused as
documented), and errors that name the parameter. Written from the survivors of `make mutate` (issue 21):
each test states the behaviour that a surviving mutant broke."""

import numpy as np
import pytest

from snnlib.analysis import firing_patterns as fp
from snnlib.analysis import spikecode as enc
from snnlib.analysis import spiketrains as st


# -- spiketrains ------------------------------------------------------------------------------------------

def test_as_train_sorts_converts_and_names_the_argument():
    out = st.as_train([3, 1, 2])
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(TypeError, match=r"^spikes must be .*got None.*spike times in seconds"):
        st.as_train(None, name="spikes")
    with pytest.raises(TypeError, match=r"^spikes must be .*'a'.*spike times in seconds"):
        st.as_train(["a"], name="spikes")
    with pytest.raises(ValueError, match=r"^spikes must be 1-D \(one spike train\), got shape \(1, 2\)$"):
        st.as_train([[0.1, 0.2]], name="spikes")
    with pytest.raises(ValueError, match=r"^spikes contains NaN or infinite spike times"):
        st.as_train([0.1, np.inf], name="spikes")
    with pytest.raises(TypeError, match=r"^times must be "):     # the statistics' argument name
        st.cv_isi(None)


def test_positive_durations_only():
    assert st.firing_rate([0.1, 0.2], 4.0) == 0.5
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match=r"^duration must be (a positive, finite number of seconds|finite), got"):
            st.firing_rate([0.1], bad)


def test_split_trains_edges():
    # no spikes at all: n_neurons empty trains (no reduction over an empty index array)
    trains = st.split_trains([], [], 3)
    assert len(trains) == 3 and all(t.size == 0 for t in trains)
    assert st.split_trains([], [], 0) == []          # zero neurons is allowed, a negative count is not
    with pytest.raises(ValueError, match=r"^n_neurons must be >= 0, got -1$"):
        st.split_trains([], [], -1)
    with pytest.raises(ValueError, match=r"^times and neurons must be 1-D arrays of equal length, got \(2,\) and \(1,\)"):
        st.split_trains([0.1, 0.2], [0], 2)
    with pytest.raises(ValueError, match="must be 1-D arrays of equal length"):   # equal shapes, but 2-D
        st.split_trains([[0.1, 0.2]], [[0, 1]], 2)
    with pytest.raises(ValueError, match=r"^neurons \(indices\) must lie in \[0, n_neurons = 2\), got \[-1, 0\]$"):
        st.split_trains([0.1, 0.2], [-1, 0], 2)
    # the last neuron's train ends at the last spike (indices up to n_neurons - 1 are accepted)
    trains = st.split_trains([0.3, 0.1, 0.2], [1, 1, 0], 2)
    assert [t.tolist() for t in trains] == [[0.2], [0.1, 0.3]]
    # times in seconds as float64 even when given as integers (e.g. whole seconds)
    assert all(t.dtype == np.float64 for t in st.split_trains([2, 1], [0, 0], 1))


def test_cv_of_three_spikes_and_of_simultaneous_spikes():
    # three spikes are enough: intervals 1 and 2, mean 1.5, population std 0.5 -> CV 1/3
    assert st.cv_isi([0.0, 1.0, 3.0]) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match=r"^cv_isi needs at least 3 spikes \(2 intervals\), got 2 spikes$"):
        st.cv_isi([0.0, 1.0])
    with pytest.raises(ValueError, match=r"^cv_isi: all spikes are at the same time"):
        st.cv_isi([0.1, 0.1, 0.1])


def test_bin_spikes_number_of_bins_and_offset_start():
    # floor((t_stop - t_start) / w) bins, a partial last bin dropped; one complete bin is enough
    assert st.bin_spikes([0.05], 0.1, 0.1).tolist() == [1]
    assert st.bin_spikes([], 0.35, 0.1).tolist() == [0, 0, 0]
    assert st.bin_spikes([], 1.0, 0.1).size == 10           # not 9 through 1.0 / 0.1 rounding
    counts = st.bin_spikes([0.5, 1.0, 1.05, 1.15, 1.2], t_stop=1.2, bin_width=0.1, t_start=1.0)
    assert counts.dtype == np.int64 and counts.tolist() == [2, 1]   # 0.5 before, 1.2 at the end: outside
    # t_stop on a bin edge: a spike at t_stop is outside the half-open last bin (3 * 0.1 > 0.3 in floats)
    assert st.bin_spikes([0.3], 0.3, 0.1, t_start=0.0).tolist() == [0, 0, 0]
    # a spike in the dropped partial bin is not counted in the last complete one
    assert st.bin_spikes([0.33], 0.35, 0.1).tolist() == [0, 0, 0]
    # the spike just before t_stop is in the last bin, even where (t - t_start) / w rounds up to n_bins
    t_stop = 7.62
    counts = st.bin_spikes([np.nextafter(t_stop, 0.0)], t_stop, 0.3, t_start=1.92)
    assert counts.size == 19 and counts[-1] == 1
    # a long recording (about 90 min in 0.2 s bins, where 26816 * 0.2 > 5363.2 in floats): t_stop stays out
    assert st.bin_spikes([5363.2], 5363.2, 0.2).sum() == 0
    with pytest.raises(ValueError, match=r"^t_stop must be after t_start, got t_start=0.5, t_stop=0.5$"):
        st.bin_spikes([0.1], 0.5, 0.1, t_start=0.5)
    with pytest.raises(ValueError, match=r"^bin_width must be a positive, finite number of seconds"):
        st.bin_spikes([0.1], 0.5, 0.0)
    with pytest.raises(ValueError, match=r"^bin_width 1.0 s is longer than the span 0.5 s: no complete bin$"):
        st.bin_spikes([0.1], 0.5, 1.0)


def test_window_counts_half_open_window():
    trains = [[0.1, 0.2, 0.3], [0.3], []]
    # [0.1, 0.3): a spike at t_start counts, a spike at t_stop does not
    counts = st.window_counts(trains, 0.1, 0.3)
    assert counts.dtype == np.int64 and counts.tolist() == [2, 0, 0]
    with pytest.raises(ValueError, match=r"^t_stop must be after t_start, got t_start=0.2, t_stop=0.2$"):
        st.window_counts(trains, 0.2, 0.2)
    with pytest.raises(ValueError, match=r"^trains\[1\] contains NaN"):
        st.window_counts([[0.1], [np.nan]], 0.0, 1.0)


def test_fano_factor_of_two_counts_and_bad_counts():
    # counts 1 and 3: mean 2, unbiased variance 2 -> Fano 1
    assert st.fano_factor([1, 3]) == pytest.approx(1.0)
    for bad in ([4], [[1, 2], [3, 4]]):
        with pytest.raises(ValueError, match=r"^fano_factor needs a 1-D array of at least 2 counts, got shape"):
            st.fano_factor(bad)
    for bad in ([1, -1], [1, np.nan], [1, np.inf]):
        with pytest.raises(ValueError, match=r"^counts must be finite and non-negative$"):
            st.fano_factor(bad)
    with pytest.raises(ValueError, match=r"^fano_factor is undefined when there are no spikes"):
        st.fano_factor([0, 0])


# -- spikecode --------------------------------------------------------------------------------------------

def test_make_rng_accepts_generators_ints_and_none():
    g = np.random.default_rng(1)
    assert enc.make_rng(g) is g
    assert enc.make_rng(np.int64(5)).random() == np.random.default_rng(5).random()
    assert isinstance(enc.make_rng(None), np.random.Generator)
    with pytest.raises(TypeError, match=r"^seed must be an int, None or a numpy Generator, got float$"):
        enc.make_rng(1.5)


def test_rate_and_value_ranges_include_their_edges():
    times, neurons = enc.poisson_spikes([0.0, 50.0], 10.0, seed=1)
    assert np.all(neurons == 1)                      # a rate of 0 Hz is allowed and gives no spikes
    assert times.min() >= 0.0 and times.max() < 10.0 and np.all(np.diff(times) >= 0)
    _, neurons = enc.rate_encode([0.0, 1.0], max_rate=100.0, duration=1.0, seed=2)
    assert np.all(neurons == 1)
    with pytest.raises(TypeError, match=r"^rates must be a number or an array of numbers, got the text 'x'"):
        enc.poisson_spikes("x", 1.0)
    with pytest.raises(ValueError, match=r"^rates must be a scalar or 1-D array \(one rate per neuron, Hz\)"):
        enc.poisson_spikes([[1.0, 2.0]], 1.0)
    with pytest.raises(ValueError, match=r"^rates must be finite and >= 0 Hz$"):
        enc.poisson_spikes([np.inf], 1.0)
    with pytest.raises(TypeError, match=r"^values must be a number or an array of numbers, got the text 'x'"):
        enc.rate_encode("x", 100.0, 1.0)
    for bad in (-0.1, 1.1, np.nan):
        with pytest.raises(ValueError, match=r"^stimulus values must be finite and lie in \[0, 1\]$"):
            enc.rate_encode([bad], 100.0, 1.0)
    for bad in (0.0, -1.0, np.inf):
        with pytest.raises(ValueError, match=r"^max_rate \(Hz\) must be (positive and )?finite, got"):
            enc.rate_encode([0.5], bad, 1.0)


def test_poisson_spike_times_are_uniform_over_the_whole_duration():
    # given the count, Poisson spike times are uniform on [0, duration): half of them in each half
    times, _ = enc.poisson_spikes(500.0, 2.0, seed=4)               # about 1000 spikes
    first = np.count_nonzero(times < 1.0)
    assert abs(first - times.size / 2) < 5 * np.sqrt(times.size / 4)
    assert times.min() < 0.01                                        # the first spike comes early


def test_encoders_are_seeded():
    a = enc.rate_encode([0.3, 0.9], 100.0, 1.0, seed=11)
    b = enc.rate_encode([0.3, 0.9], 100.0, 1.0, seed=11)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(enc.poisson_raster([20.0, 50.0], 1.0, 1e-3, seed=5),
                                  enc.poisson_raster([20.0, 50.0], 1.0, 1e-3, seed=5))


def test_poisson_raster_probability_one_is_the_limit():
    r = enc.poisson_raster(1000.0, 0.01, 1e-3, seed=0)     # rate * dt = 1: a spike in every step
    assert r.shape == (10, 1) and r.all()
    assert not enc.poisson_raster(0.0, 0.01, 1e-3, seed=0).any()
    with pytest.raises(ValueError, match=r"^rate \* dt = 1.5 > 1: a spike probability per step cannot exceed 1\. "
                                         r"Rates are in Hz \(spikes per second\) and dt in seconds"):
        enc.poisson_raster(1500.0, 0.01, 1e-3)
    with pytest.raises(ValueError, match=r"^dt \(s\) must be positive"):
        enc.poisson_raster(10.0, 0.01, 0.0)
    with pytest.raises(ValueError, match=r"^duration \(s\) must be positive and finite, got 0.0$"):
        enc.poisson_raster(10.0, 0.0, 1e-3)


def test_decode_rate_clips_at_one_and_refuses_bad_counts():
    assert enc.decode_rate([30, 50], window=0.5, max_rate=100.0) == pytest.approx(0.8)
    assert enc.decode_rate([300], window=1.0, max_rate=100.0) == 1.0
    assert enc.decode_rate([0], window=1.0, max_rate=100.0) == 0.0
    for bad in ([], [-1], [np.nan]):
        with pytest.raises(ValueError, match=r"^counts must be a non-empty array of non-negative spike counts$"):
            enc.decode_rate(bad, 1.0, 100.0)
    with pytest.raises(ValueError, match=r"^window \(s\) must be positive"):
        enc.decode_rate([1], 0.0, 100.0)
    with pytest.raises(ValueError, match=r"^max_rate \(Hz\) must be positive and finite, got 0.0$"):
        enc.decode_rate([1], 1.0, 0.0)


def test_latency_encode_ranges_and_clipping():
    assert enc.latency_encode([0.5], t_max=0.05, t_min=0.0).tolist() == [0.025]
    for t_min in (0.05, 0.06, -0.01):
        with pytest.raises(ValueError, match=r"^need 0 <= t_min < t_max, got t_min="):
            enc.latency_encode([0.5], 0.05, t_min=t_min)
    for jitter in (-0.001, np.inf, np.nan):
        with pytest.raises(ValueError, match=r"^jitter must be (>= 0 s|finite), got"):
            enc.latency_encode([0.5], 0.05, jitter=jitter)
    with pytest.raises(ValueError, match=r"^t_max \(s\) must be positive"):
        enc.latency_encode([0.5], 0.0)
    # value 1 fires at t = 0; jitter would push half of the spikes before 0: they are clipped to 0
    t = enc.latency_encode(np.ones(200), 0.05, jitter=0.002, seed=3)
    assert t.min() == 0.0 and 60 < np.count_nonzero(t == 0.0) < 140 and t.max() > 0.0


def test_latency_encode_without_jitter_draws_nothing():
    # reproducibility: a deterministic encoding must not advance a generator shared with other draws
    g = np.random.default_rng(9)
    enc.latency_encode([0.2, 0.7], 0.05, jitter=0.0, seed=g)
    assert g.random() == np.random.default_rng(9).random()


def test_decode_latency_window_is_open_and_estimates_clip():
    # a spike exactly at the window's end has not been seen yet: unresolved, value < 1 - 0.04/0.05
    assert enc.decode_latency([0.04], window=0.04, t_max=0.05) == pytest.approx(0.1)
    assert enc.decode_latency([0.04], window=0.0401, t_max=0.05) == pytest.approx(0.2)
    # a spike before t_min means "at least 1" and one after t_max "at most 0": clipped into [0, 1]
    assert enc.decode_latency([0.0], window=1.0, t_max=0.05, t_min=0.01) == 1.0
    assert enc.decode_latency([0.08], window=1.0, t_max=0.05, t_min=0.01) == 0.0
    # no spike within a window longer than t_max: the value is below 0, the midpoint of nothing
    assert enc.decode_latency([np.inf], window=0.1, t_max=0.05) == 0.0
    assert enc.decode_latency([np.inf], window=0.01, t_max=0.05, t_min=0.01) == pytest.approx(0.5)
    # a window that closes before t_min (no spike could have come yet) tells nothing: still 0.5, not more
    assert enc.decode_latency([np.inf], window=0.005, t_max=0.05, t_min=0.01) == pytest.approx(0.5)
    for bad in ([], [np.nan]):
        with pytest.raises(ValueError, match=r"^first_times must be a non-empty array of times \(s\)"):
            enc.decode_latency(bad, 0.1, 0.05)
    with pytest.raises(ValueError, match=r"^window \(s\) must be positive and finite, got 0.0$"):
        enc.decode_latency([0.01], 0.0, 0.05)


def test_decoding_protocol_limits():
    w, n, k = enc.decoding_protocol(0.1, 1, 1)        # one neuron, one trial, one window: allowed
    assert w.tolist() == [0.1] and (n, k) == (1, 1)
    assert enc.decoding_protocol([1, 2], 1, 1)[0].dtype == np.float64     # whole seconds become floats
    for windows in ([0.0], [-0.1], [[0.1]], []):
        with pytest.raises(ValueError, match=r"^windows must be positive durations in seconds \(a number or a 1-D "
                                             r"array\)$"):
            enc.decoding_protocol(windows, 1, 1)
    with pytest.raises(ValueError, match=r"^windows must contain only finite numbers"):
        enc.decoding_protocol([np.inf], 1, 1)
    for n, k, name in ((0, 1, "n_neurons"), (1, 0, "n_trials")):
        with pytest.raises(ValueError, match=rf"^{name} must be >= 1"):
            enc.decoding_protocol([0.1], n, k)


def test_decoding_errors_defaults_are_the_documented_protocol():
    # the defaults are the lesson's protocol (10 neurons, 100 Hz, t_max 50 ms, 2 ms jitter, 200 trials, seed 0)
    w = [0.02, 0.1]
    a = enc.decoding_errors(w)
    b = enc.decoding_errors(w, n_neurons=10, max_rate=100.0, t_max=0.05, jitter=0.002, n_trials=200, seed=0)
    np.testing.assert_array_equal(a, b)


# -- firing_patterns --------------------------------------------------------------------------------------

def test_bursts_need_two_short_intervals_and_a_pause():
    assert fp.bursts([0.0, 0.003, 0.05]) == [(0, 1)]                    # two spikes 3 ms apart, then a pause
    assert fp.bursts([0.0, 0.008, 0.1]) == []                           # 8 ms is not below burst_isi
    assert fp.bursts([0.0, 0.003, 0.009]) == []                         # pause 6 ms < 3 * 3 ms
    assert fp.bursts([0.0, 1.0, 4.0], burst_isi=2.0) == [(0, 1)]        # pause = 3 * the run's interval: enough
    assert fp.bursts([0.0, 1.0, 3.0, 12.0], burst_isi=2.0) == []        # an interval equal to burst_isi is not short
    assert fp.bursts([0.0, 0.003]) == []                                # no pause after the run: no burst
    # two bursts, each ended by its pause; the run's longest interval sets the pause needed
    assert fp.bursts([0.0, 0.002, 0.005, 0.05, 0.052, 0.1]) == [(0, 2), (3, 4)]
    assert fp.bursts([0.0, 0.002, 0.005, 0.013]) == []                  # pause 8 ms < 3 * 3 ms
    assert fp.bursts([0.0, 0.003, 0.05], burst_isi=0.002) == []
    assert fp.bursts([0.0, 0.003, 0.012], pause_factor=2.0) == [(0, 1)]     # pause 9 ms >= 2 * 3 ms
    assert fp.bursts([0.0, 0.003, 0.012], pause_factor=4.0) == []           # pause 9 ms < 4 * 3 ms


def test_features_of_a_train_with_known_intervals():
    times = np.cumsum([0.0, 0.010, 0.012, 0.014, 0.016, 0.018, 0.022])   # ISIs 10..22 ms
    f = fp.features(times)
    assert (f.n_spikes, f.n_bursts, f.onset_burst_only) == (7, 0, False)
    assert f.first_isi == pytest.approx(0.010)
    assert f.steady_isi == pytest.approx(0.020)     # median of the last third (18 and 22 ms of 6 intervals)
    assert f.adaptation == pytest.approx(2.0) and f.steady_rate == pytest.approx(50.0)
    # three spikes (2 intervals) are too few for the ISI features, but bursts are still counted
    short = fp.features([0.0, 0.003, 0.05])
    assert (short.n_spikes, short.n_bursts, short.onset_burst_only, short.steady_rate) == (3, 1, False, 0.0)
    assert short.onset_burst_only is False
    assert np.isnan(short.first_isi) and np.isnan(short.steady_isi) and np.isnan(short.adaptation)
    # burst_isi reaches the burst count: with 2 ms, 3 ms intervals are not a burst
    assert fp.features([0.0, 0.003, 0.05], burst_isi=0.002).n_bursts == 0
    assert fp.features([0.0, 0.01, 0.02, 0.03]).steady_isi == pytest.approx(0.01)
    # one ISI in the last third when there are fewer than 6
    assert fp.features([0.0, 0.01, 0.02, 0.05]).steady_isi == pytest.approx(0.03)


def test_classify_rules_in_order():
    assert fp.classify([0.0, 0.01, 0.02]) == "none"
    tonic = lambda isi, n=12: np.arange(n) * isi
    assert fp.classify(tonic(0.015)) == "FS"             # 66.7 Hz, no adaptation
    assert fp.classify(tonic(0.022)) == "LTS"            # 45 Hz, no adaptation (above 40 Hz)
    assert fp.classify(tonic(0.05)) == "RS"              # 20 Hz
    assert fp.classify(np.concatenate([[0.0], 0.005 + np.cumsum(np.full(8, 0.005))])) == "FS"  # fast, no pause
    # a fast onset that slows to 55 Hz: above 50 Hz but adapting by more than 2.5 -> LTS, not FS
    slowing = np.concatenate([[0.0, 0.007], 0.007 + np.cumsum(np.full(9, 0.018))])
    assert fp.features(slowing).adaptation > 2.5 and fp.classify(slowing) == "LTS"
    # one burst at the onset, then single spikes: IB; bursts repeated: CH
    onset = np.concatenate([[0.0, 0.003, 0.006], 0.006 + np.cumsum(np.full(6, 0.03))])
    assert fp.classify(onset) == "IB"
    chatter = np.concatenate([[0.0, 0.003, 0.006], [0.05, 0.053, 0.056], [0.1, 0.103, 0.106], [0.15]])
    assert fp.classify(chatter) == "CH"
    # "then single spikes" needs at least 3 of them after the onset burst
    assert fp.features(onset[:6]).onset_burst_only and not fp.features(onset[:5]).onset_burst_only
    assert set(fp.NAMES) == {"RS", "IB", "CH", "FS", "LTS", "none"}


def test_classify_thresholds_at_their_edges():
    tonic = lambda isi, n=12: np.arange(n) * isi
    assert fp.classify(tonic(0.05, n=4)) == "RS"          # 4 spikes are enough to tell
    # steady rates of exactly 50 and 40 Hz (times relative to the step onset, ending at 0 so that the last
    # interval is exactly 20 or 25 ms in floating point): not "above 50 Hz", not "above 40 Hz"
    at_50, at_40 = np.array([-0.06, -0.04, -0.02, 0.0]), np.array([-0.075, -0.05, -0.025, 0.0])
    assert fp.features(at_50).steady_rate == 50.0 and fp.features(at_40).steady_rate == 40.0
    assert fp.classify(at_50) == "LTS" and fp.classify(at_40) == "RS"
    assert fp.classify(tonic(1 / 50.5)) == "FS" and fp.classify(tonic(1 / 40.5)) == "LTS"
    # adaptation exactly 2.5 (binary-exact intervals: 1/256 s, then 2.5/256 s) at 102 Hz: not FS
    edge = np.cumsum(np.concatenate([[0.0, 1 / 256], np.full(9, 2.5 / 256)]))
    f = fp.features(edge)
    assert f.adaptation == 2.5 and f.steady_rate > 50 and f.n_bursts == 0
    assert fp.classify(edge) == "LTS"
    # exactly two bursts are "repeated bursts"; burst_isi reaches the classification
    two = np.concatenate([[0.0, 0.003, 0.006], [0.05, 0.053, 0.056], [0.1, 0.15, 0.2, 0.25]])
    assert fp.features(two).n_bursts == 2 and fp.classify(two) == "CH"
    assert fp.classify(two, burst_isi=0.002) != "CH"


def test_features_names_a_bad_burst_isi():
    with pytest.raises(ValueError) as err:
        fp.features([0.1, 0.2, 0.3], -1.0)
    assert str(err.value) == "burst_isi must be > 0 s, got -1.0"
    with pytest.raises(TypeError) as err:
        fp.features([0.1, 0.2, 0.3], "x")
    assert str(err.value) == "burst_isi must be a real number, got 'x' of type str"


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(burst_isi=0.0), ValueError, "burst_isi must be > 0 s, got 0.0"),
    (dict(pause_factor=-2.0), ValueError, "pause_factor must be > 0, got -2.0"),  # a ratio: no unit
    (dict(pause_factor="x"), TypeError, "pause_factor must be a real number, got 'x' of type str"),
])
def test_bursts_names_a_bad_parameter(kwargs, error, message):
    with pytest.raises(error) as err:
        fp.bursts([0.1, 0.2], **kwargs)
    assert str(err.value) == message
