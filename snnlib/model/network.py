"""Model description: plain objects that say what the network is. Nothing here computes dynamics.

`snnlib.sim.builder` turns a Network into flat arrays; `snnlib.Simulator` runs them.
"""

import numbers

import numpy as np

from snnlib import _validate as check
from snnlib.model.connectivity import DenseWeights, RandomWeights, SparseWeights, random_csr  # noqa: F401
from snnlib.model.inputs import Constant, Signal, TimeFunction, Uniform
from snnlib.model.plugin import (LearningRule, NeuronModel, NoiseModel, PresynapticModel, SynapseModel,
                                 require_registered)
from snnlib.neurons.lif import LIF
from snnlib.synapses.exponential import ExpSynapse


class Population:
    """A group of `n` neurons of one model. Create with `Network.population`."""

    is_source = False
    noise = None          # a NoiseModel attached with Network.noise

    def __init__(self, n, neuron, bias, v_init, label):
        self.n = n
        self.neuron = neuron
        self.bias = bias
        self.v_init = v_init
        self.label = label

    def __len__(self):
        return self.n

    def __repr__(self):
        return f"<Population {self.label!r}: {self.n} x {self.neuron!r}>"


class PoissonSource:
    """`n` independent Poisson spike generators at `rate` (Hz: scalar, per source, or a function of t)."""

    is_source = True
    in_loop = False       # True: drawn inside the kernel by the counter-based generator (snnlib.sim.poisson)

    def __init__(self, n, rate, label):
        self.n = n
        self.rate = rate
        self.label = label

    def __len__(self):
        return self.n

    def __repr__(self):
        return f"<PoissonSource {self.label!r}: {self.n} sources>"


class SpikeTimes:
    """`n` sources that spike at given times: source `indices[k]` spikes at `times[k]` (s)."""

    is_source = True

    def __init__(self, n, times, indices, label):
        self.n = n
        self.times = times
        self.indices = indices
        self.label = label

    def __len__(self):
        return self.n

    def __repr__(self):
        return f"<SpikeTimes {self.label!r}: {self.n} sources, {len(self.times)} spikes>"


class Input:
    """A drive signal added to the neurons of a population (optionally scaled per neuron)."""

    def __init__(self, target, signal, gain):
        self.target = target
        self.signal = signal
        self.gain = gain


class Connection:
    """Synapses from `pre` (population or source) to `post` (population).

    `spec` says how they were given (`snnlib.model.connectivity`: a dense matrix, a sparse matrix or a random
    pattern drawn at build time); `weights` is the scipy.sparse CSR matrix of shape (post.n, pre.n), made on
    demand (a random pattern is drawn then: the same synapses the simulator uses); `dense` says whether every
    entry is a synapse (zeros included) or only the stored ones.
    """

    presynaptic = None        # a PresynapticModel (short-term plasticity, release), set by Network.connect

    def __init__(self, pre, post, spec, synapse, plasticity, label):
        self.pre = pre
        self.post = post
        self.spec = spec
        self.synapse = synapse
        self.plasticity = plasticity
        self.label = label

    @property
    def dense(self):
        return self.spec.dense

    @property
    def weights(self):
        """The weights as a (post.n, pre.n) CSR matrix (a new matrix each time)."""
        return self.spec.csr()

    @property
    def n_synapses(self):
        return int(self.spec.count() if self.spec.kind == "random" else self.spec.nnz)

    def __repr__(self):
        return f"<Connection {self.label!r}: {self.pre.label} -> {self.post.label}, {self.n_synapses} synapses>"


class Probe:
    """Records `target` ("spikes", "voltage", "current" or "drive") of `obj` for `indices`, every `every` steps."""

    def __init__(self, obj, target, indices, every, label):
        self.obj = obj
        self.target = target
        self.indices = indices
        self.every = every
        self.label = label

    def __repr__(self):
        return f"<Probe {self.label!r}: {self.target} of {self.obj.label}>"


PROBE_TARGETS = {
    "spikes": "spike times and neuron indices (SpikeRecord)",
    "voltage": "membrane voltage v (units of v)",
    "current": "total synaptic current into the neuron (units of J)",
    "drive": "total drive J = bias + inputs + synaptic current (units of J)",
}


class Network:
    """A container describing a spiking network.

    Parameters
    ----------
    seed : int or None
        Seed for everything random in the model (connectivity, initial voltages, Poisson spikes).
        The same seed gives the same spikes. None draws a fresh seed.
    """

    def __init__(self, seed=None):
        if seed is not None:
            seed = check.count("seed", seed, minimum=0)
        self.seed = seed if seed is not None else int(np.random.SeedSequence().entropy % (2**32))
        self.populations = []
        self.sources = []
        self.inputs = []
        self.connections = []
        self.probes = []
        self.signals = []          # decoded values, errors, PES rules, decoded inputs (snnlib.model.signals)

    # -- objects -----------------------------------------------------------------------------------------
    def _label(self, label, kind, items):
        return label if label is not None else f"{kind}{len(items)}"

    def population(self, n, neuron=None, bias=0.0, v_init=None, label=None):
        """Add `n` neurons (default `LIF()` in normalised units).

        bias : constant drive per neuron (scalar or array of n), units of v.
        v_init : initial voltage: None (v_reset), a scalar, an array of n, or `Uniform(low, high)`.
        """
        n = check.count("n", n)
        _check_population_size(n, "population")
        neuron = LIF() if neuron is None else neuron
        require_registered(neuron, NeuronModel, "neuron", "a neuron model such as snnlib.LIF()")
        bias = check.finite_array("bias", bias, shape=(n,))
        if v_init is not None and not isinstance(v_init, Uniform):
            v_init = check.finite_array("v_init", v_init, shape=(n,))
        pop = Population(n, neuron, bias, v_init, self._label(label, "population", self.populations))
        self.populations.append(pop)
        return pop

    def poisson(self, n, rate, label=None, in_loop=False):
        """Add `n` Poisson spike sources with `rate` in Hz (scalar, array of n, or a function of t (s)).

        in_loop : False (default) draws the spikes with numpy per chunk; True draws them inside the kernel with
            the counter-based generator (no random-number arrays; the same spikes with and without the JIT and
            for any chunk size; other spikes than the default for the same seed). Needs a constant rate."""
        n = check.count("n", n)
        _check_population_size(n, "poisson")
        if not isinstance(in_loop, bool):
            raise TypeError(f"in_loop must be True or False, got {in_loop!r}")
        if in_loop and callable(rate):
            raise ValueError("rate: in_loop=True needs a constant rate (a number or one per source); a rate "
                             "that varies in time is drawn by numpy (in_loop=False)")
        label = self._label(label, "poisson", self.sources)
        if callable(rate):
            rate = TimeFunction(rate)
            rate.role = f"the rate function of {label!r}"
        else:
            rate = check.finite_array("rate", rate, shape=(n,))
            if np.any(rate < 0):
                raise ValueError("rate must be >= 0 Hz")
        src = PoissonSource(n, rate, label)
        src.in_loop = in_loop
        self.sources.append(src)
        return src

    def spike_times(self, n, times, indices=None, label=None):
        """Add `n` sources firing at given `times` (s); `indices[k]` says which source fires at times[k]."""
        n = check.count("n", n)
        times = check.finite_array("times", times)
        if times.ndim != 1:
            raise ValueError(f"times must be 1-D, got shape {times.shape}")
        if np.any(times < 0):
            raise ValueError("times must be >= 0 s")
        if indices is None:
            if n != 1:
                raise ValueError("indices is needed when n > 1: which source fires at each time")
            indices = np.zeros(len(times), dtype=np.int64)
        indices = np.asarray(indices)
        if indices.shape != times.shape or not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"indices must be integers with the shape of times {times.shape}, got {indices.shape}")
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            raise ValueError(f"indices must be in [0, {n})")
        src = SpikeTimes(n, times, indices.astype(np.int64), self._label(label, "spikes", self.sources))
        self.sources.append(src)
        return src

    def input(self, target, signal, gain=1.0):
        """Add a drive `signal` (a Signal, a number, or a function of t) to the neurons of `target`."""
        self._check_member(target, "target", sources=False)
        if isinstance(signal, numbers.Real) or isinstance(signal, (list, tuple, np.ndarray)):
            signal = Constant(check.finite_array("signal", signal))
        elif callable(signal) and not isinstance(signal, Signal):
            signal = TimeFunction(signal)
            signal.role = f"the input function of {target.label!r}"
        if not isinstance(signal, Signal):
            raise TypeError(f"signal must be a number, a function of t or a snnlib Signal, got {check._show(signal)}")
        for name, width in signal.widths().items():
            if width not in (1, target.n):
                raise ValueError(f"signal {name} has {width} values, but target {target.label!r} has {target.n} "
                                 f"neurons: give one value per neuron ({target.n}) or a single number")
        gain = check.finite_array("gain", gain, shape=(target.n,))
        inp = Input(target, signal, gain)
        self.inputs.append(inp)
        return inp

    def connect(self, pre, post, weights, synapse=None, plasticity=None, label=None, presynaptic=None):
        """Connect every neuron of `pre` to every neuron of `post`.

        weights : scalar (same weight everywhere), array of shape (post.n, pre.n) (units of J, per spike),
            or a scipy.sparse matrix of that shape (only its stored entries become synapses).
        synapse : a registered SynapseModel (default ExpSynapse(5 ms)).
        plasticity : None or a registered LearningRule such as STDP.
        presynaptic : None or a registered PresynapticModel: short-term plasticity
            (`snnlib.TsodyksMarkram`) or probabilistic release (`snnlib.Release`).
        """
        import scipy.sparse as sparse

        self._check_member(pre, "pre")
        self._check_member(post, "post", sources=False)
        shape = (post.n, pre.n)
        if sparse.issparse(weights):
            if weights.shape != shape:
                raise ValueError(f"weights has shape {weights.shape}, expected (post.n, pre.n) = {shape}")
            W = sparse.csr_matrix(weights, dtype=float)
            W.sum_duplicates()
            if not np.all(np.isfinite(W.data)):
                raise ValueError("weights must contain only finite numbers (no NaN or inf)")
            spec = SparseWeights(W)
        else:
            Wd = check.finite_array("weights", weights)
            if Wd.ndim == 0:                 # one weight for every pair: nothing allocated before the build
                spec = DenseWeights(float(Wd), shape)
            elif Wd.shape != shape:
                raise ValueError(f"weights has shape {Wd.shape}, expected (post.n, pre.n) = {shape} or a scalar")
            else:                            # a copy: later changes to the caller's array do not reach the network
                spec = DenseWeights(np.array(Wd, dtype=float, order="C"), shape)
        return self._add_connection(pre, post, spec, synapse, plasticity, label, presynaptic)

    def connect_random(self, pre, post, p, weight, synapse=None, plasticity=None, autapses=True, label=None,
                       presynaptic=None):
        """Connect each (pre, post) pair independently with probability `p` (seeded by the network seed).

        weight : scalar weight of every synapse (units of J per spike).
        autapses : allow a neuron to connect to itself when pre is post (Brian2's default: yes).
        synapse, plasticity, presynaptic : as for `connect`.
        """
        self._check_member(pre, "pre")
        self._check_member(post, "post", sources=False)
        p = check.probability("p", p)
        weight = check.real("weight", weight)
        spec = RandomWeights(pre.n, post.n, p, weight, self.seed, len(self.connections),
                             allow_self=autapses or pre is not post)
        return self._add_connection(pre, post, spec, synapse, plasticity, label, presynaptic)

    def noise(self, pop, model):
        """Add a noise current `model` (e.g. snnlib.noise.WhiteNoise(sigma)) to every neuron of `pop`
        (one noise model per population; drawn in the loop from the network seed)."""
        self._check_member(pop, "pop", sources=False)
        require_registered(model, NoiseModel, "model", "a noise model such as snnlib.noise.WhiteNoise(0.1)")
        if pop.noise is not None:
            raise ValueError(f"{pop.label!r} already has noise {pop.noise!r}: one noise model per population")
        pop.noise = model
        return model

    # -- signals (snnlib.model.signals) ------------------------------------------------------------------
    def decoded(self, pop, decoders, tau=0.005, label=None):
        """A decoded value: spikes of `pop` times `decoders` (pop.n, d), filtered by tau (s, unit area)."""
        from snnlib.model.signals import make_decoded

        return make_decoded(self, pop, decoders, tau, label)

    def error(self, decoded, target, label=None):
        """An error signal decoded - target(t) (Nengo's sign); target: a function of t, Signal or d values."""
        from snnlib.model.signals import make_error

        return make_error(self, decoded, target, label)

    def pes(self, decoded, error, learning_rate=1e-4, pre_tau=0.005):
        """PES learning of `decoded`'s decoders from `error` (Nengo's PES; learning_rate kappa, 1/s)."""
        from snnlib.model.signals import make_pes

        return make_pes(self, decoded, error, learning_rate, pre_tau)

    def decoded_input(self, post, decoded, encoders):
        """Drive `encoders` (post.n, d) @ decoded value into `post` (a decoded connection)."""
        from snnlib.model.signals import make_decoded_input

        return make_decoded_input(self, post, decoded, encoders)

    # -- modulators (snnlib.model.modulators) -------------------------------------------------------------
    def modulator(self, source, tau=None, weights=None, label=None):
        """A modulator m(t) (one number per step, e.g. dopamine) computed in the loop.

        source : a function of time f(t) (called with a numpy array of times in s, returns an array of
            values or a number), a number, a snnlib Signal (e.g. Step); or a population / spike source of
            this network: then m is its spikes times `weights` (default 1/n: the mean rate, Hz), low-pass
            filtered with unit area.
        tau : filter time constant (s); needed for activity, optional for a function of time (None: m = f(t)).
        """
        from snnlib.model.modulators import make_modulator

        return make_modulator(self, source, tau, weights, label)

    def modulate(self, pop, parameter, modulator, scale=1.0):
        """Let `modulator` m act on every neuron of `pop`: parameter "gain" (input J times 1 + scale m),
        "bias" (J + scale m) or "threshold" (threshold + scale m). scale: a number or one per neuron."""
        from snnlib.model.modulators import make_modulation

        return make_modulation(self, pop, parameter, modulator, scale)

    def probe(self, obj, target="spikes", indices=None, every=1, label=None):
        """Record `target` of `obj` (see PROBE_TARGETS) for `indices` (default all), every `every` steps.
        A signal (decoded value, error) records its "value" (all dimensions)."""
        if getattr(obj, "probe_targets", None) is not None and any(obj is s for s in self.signals):
            if target == "spikes":
                target = "value"
            if target not in obj.probe_targets:
                raise ValueError(f"{obj.label!r} is a signal: only 'value' can be probed, not {target!r}")
            probe = Probe(obj, target, np.arange(obj.n), check.count("every", every),
                          self._label(label, "probe", self.probes))
            self.probes.append(probe)
            return probe
        self._check_member(obj, "obj")
        if not isinstance(target, str) or target not in PROBE_TARGETS:
            raise ValueError(f"unknown probe target {target!r}; allowed: "
                             + ", ".join(f"{k!r} ({v})" for k, v in PROBE_TARGETS.items()))
        if obj.is_source and target != "spikes":
            raise ValueError(f"{obj.label!r} is a spike source: only 'spikes' can be probed, not {target!r}")
        idx = check.indices("indices", indices, obj.n)
        every = check.count("every", every)
        probe = Probe(obj, target, idx, every, self._label(label, "probe", self.probes))
        self.probes.append(probe)
        return probe

    # -- helpers -----------------------------------------------------------------------------------------
    def _check_member(self, obj, name, sources=True):
        allowed = self.populations + (self.sources if sources else [])
        if not any(obj is a for a in allowed):
            kinds = "population or source" if sources else "population"
            raise ValueError(f"{name} must be a {kinds} created by this network, got {obj!r}")

    def _add_connection(self, pre, post, spec, synapse, plasticity, label, presynaptic=None):
        synapse = ExpSynapse() if synapse is None else synapse
        require_registered(synapse, SynapseModel, "synapse", "an ExpSynapse")
        if plasticity is not None:
            require_registered(plasticity, LearningRule, "plasticity", "None, an STDP rule")
            if spec.nnz != 0 and hasattr(plasticity, "check_weights"):
                plasticity.check_weights(spec.values())
            if hasattr(plasticity, "check_network"):       # e.g. its modulator must belong to this network
                plasticity.check_network(self)
        if presynaptic is not None:
            require_registered(presynaptic, PresynapticModel, "presynaptic",
                               "None, a TsodyksMarkram(U, tau_D, tau_F), a Release(p)")
        conn = Connection(pre, post, spec, synapse, plasticity, self._label(label, "connection", self.connections))
        conn.presynaptic = presynaptic
        self.connections.append(conn)
        return conn

    @property
    def n_neurons(self):
        return sum(p.n for p in self.populations)

    def __repr__(self):
        return (f"<Network seed={self.seed}: {len(self.populations)} populations ({self.n_neurons} neurons), "
                f"{len(self.sources)} sources, {len(self.connections)} connections, {len(self.probes)} probes>")


def _check_population_size(n, what):
    """Refuse a population whose per-neuron arrays alone would exceed the default memory limit (before
    allocating them: `population(10**9)` would otherwise end in a MemoryError or the kernel's death)."""
    from snnlib.sim import memory

    need, limit = n * memory.neuron_bytes("float64"), memory.default_limit()
    if need > limit:
        raise memory.ModelMemoryError(
            f"{what}({n:,}) would need about {memory.fmt(need)} for its neurons alone, over the limit of "
            f"{memory.fmt(limit)} ({memory.DEFAULT_FRACTION:.0%} of this machine's memory): use fewer neurons")
