"""The plug-in protocol: how a model (neuron, synapse, learning rule, noise source) tells the engine what it is.

A model is one module with
- a description class derived from one of the bases below: it validates its parameters in `__init__`
  (clear ValueError/TypeError naming the parameter; `snnlib.model.checks` has the checks), stores each
  numeric parameter as an attribute, and lists
    `kind`      a unique name (the registry key, part of the kernel's structure key),
    `params`    names of the numeric parameters (floats, one value per population / connection),
    `state`     names of its state variables (per neuron, per synaptic slot, per trace...),
    `functions` role -> a plain-Python scalar function (no numba import: the code generator compiles it),
  and optionally `derived(self, dt)` (constants computed once per build, e.g. exp(-dt/tau)),
  `time_constants` (dt must stay below each) and `initial` (state name -> initial value);
- registration: `@register` on the class (or `register(cls)`), so that networks accept it.

Step functions receive their arguments *by name*: each parameter name of the function must be one of the
model's state variables, `params`, `derived` keys, or a special name of its role (listed per base class,
e.g. `J` and `dt` for a neuron step). They return the new values of the state variables in declared order
(one variable: the bare value; several: a tuple), plus what the role adds (e.g. `spiked`). They may use
`math`, numpy scalar functions and other plain functions of their module, nothing else (no arrays, no
globals that change).

Nothing here imports numba; `snnlib.sim.codegen` turns the functions into one compiled loop per network
structure. See docs/architecture.md ("Adding a model") for a complete example.
"""

import types

_REGISTRY = {}


class PluginModel:
    """Base of every model description. Subclasses set `kind`, `params`, `state`, `functions`."""

    kind = None
    params = ()
    state = ()
    functions = {}
    roles_required = ()
    roles_optional = ()
    initial = {}

    def derived(self, dt):
        """Constants computed once per build from the parameters and dt (s): name -> float."""
        return {}

    @property
    def time_constants(self):
        """name -> time constant (s) that the simulation integrates: dt must be smaller than each."""
        return {}

    def param_values(self):
        """The numeric parameters in `params` order (floats)."""
        return [float(getattr(self, name)) for name in self.params]

    def key(self):
        """Two instances with equal keys are the same model (they may share state, e.g. a synaptic current)."""
        return (self.kind, tuple(self.param_values()))

    def __repr__(self):
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.params)
        return f"{type(self).__name__}({args})"


class NeuronModel(PluginModel):
    """A neuron model. `state[0]` must be "v", the membrane voltage (probed as "voltage").

    Roles
    - "step" (required): `step(<state>, J, dt, <params>) -> (*state, spiked)`, the exact update of one
      neuron over one step with total input J (units of v) held constant; spiked is a bool.
    - "update" (optional, for speed): a cheap branch-free version, `-> (*state, needs_exact)`. Where
      needs_exact is true it must return the state unchanged; the kernel then calls "step" for that neuron.
      Without it, "step" runs for every neuron. Extra special name: `zero` (0 in the state's float type;
      use it instead of a 0.0 literal so float32 state stays float32).
    """

    roles_required = ("step",)
    roles_optional = ("update",)
    specials = ("J", "dt", "zero")
    #: the name of the parameter that `Network.modulate(pop, "threshold", m)` shifts (None: the model has no
    #: threshold to modulate; `threshold_param` falls back to "v_th" when the model has such a parameter)
    threshold = None
    #: state variables that "update" leaves unchanged for most neurons in most steps (LIF: the refractory
    #: time, zero outside the refractory period). For speed only: the kernel stores such a variable only where
    #: the new value compares unequal to the old one (so a change from 0.0 to -0.0 alone is not stored; a NaN
    #: always is), which leaves most of its cache lines clean. Results are the same either way.
    quiet_state = ()


class SynapseModel(PluginModel):
    """A postsynaptic filter and its input law. State lives per synaptic slot (post neuron x synapse key).

    A presynaptic spike through weight w adds `w * gain` to `state[0]` (`gain` must be a key of `derived`).
    Roles
    - "advance" (required): `advance(<state>, dt, <params>) -> state`, the filter over one step;
    - "current" (required): `current(<state>, v, <params>) -> J`, the input to the neuron at the step's
      start (v: the neuron's voltage then; a current-based synapse ignores it, a conductance uses it).
    """

    roles_required = ("advance", "current")
    specials = ("dt", "v", "zero")


class LearningRule(PluginModel):
    """A weight-update rule on a connection, with presynaptic and postsynaptic traces.

    `pre_state`/`post_state` name the traces kept per presynaptic / postsynaptic neuron (instead of `state`).
    Roles (all required), in the order the kernel applies them each step:
    - "decay_pre", "decay_post": `(<trace>, dt, <params>) -> trace`, before this step's spikes;
    - "on_pre": `(w, <post traces>, <params>) -> w` for each outgoing synapse of a spiking presynaptic neuron
      (after its spike was delivered with the old weight);
    - "on_post": `(w, <pre traces>, <params>) -> w` for each incoming synapse of a spiking postsynaptic neuron;
    - "pre_spike", "post_spike": `(<trace>, <params>) -> trace`, the trace jumps at a spike, last.

    Optional, for rules with per-synapse state (three-factor rules, `snnlib.learning.reward_stdp`):
    - `syn_state`: names of state variables kept per synapse (e.g. an eligibility trace). on_pre and on_post
      may read them by name and then return `(w, *syn_state)` instead of w;
    - "step": `(w, <syn_state>, modulator, dt, <params>) -> (w, *syn_state)`, run every step for every synapse
      of the rule, with the trace decay (before this step's spikes);
    - `modulated = True`: each instance has a `modulator` attribute (a `Network.modulator`); the special name
      `modulator` is its value during this step, available to "step", "on_pre" and "on_post".
    """

    pre_state = ()
    post_state = ()
    syn_state = ()
    modulated = False
    roles_required = ("decay_pre", "decay_post", "on_pre", "on_post", "pre_spike", "post_spike")
    roles_optional = ("step",)
    specials = ("dt", "w", "zero", "modulator")


class NoiseModel(PluginModel):
    """A noise current per neuron, attached with `Network.noise(pop, model)`.

    Role "sample" (required): `sample(<state>, xi, dt, <params>) -> (*state, J)`: advance the noise state
    over one step given `xi`, a standard normal deviate drawn for this neuron and step by the counter-based
    generator (`snnlib.sim.rng`: the same number with and without the JIT, whatever the chunk size), and
    return the current J (units of v) added to the neuron's drive during this step.
    """

    roles_required = ("sample",)
    specials = ("xi", "dt", "zero")


class PresynapticModel(PluginModel):
    """The presynaptic side of a connection: short-term plasticity, probabilistic release.

    Attached with `Network.connect(..., presynaptic=model)`. Role "on_spike" (required):
    `on_spike(<state>, h, u, <params>) -> (*state, scale)`, called when a presynaptic neuron spikes; the
    spike reaches its synapses on this connection with weight x `scale`.
    - `h`: time (s) since this neuron's previous spike on this connection (1e9 s before the first one), so
      that recovery between spikes is computed exactly at the next spike, with no per-step cost;
    - `u`: a uniform deviate in (0, 1) from the counter-based generator (`snnlib.sim.rng`), the same with and
      without the JIT and whatever the chunk size.
    `per_synapse = False` (default): `state` lives per (connection, presynaptic neuron) and on_spike runs once
    per spike, its scale shared by the neuron's synapses (Tsodyks-Markram resources). `per_synapse = True`:
    on_spike runs for each synapse of the spiking neuron with its own `u` (independent release sites); such a
    model has no state.
    """

    roles_required = ("on_spike",)
    specials = ("h", "u", "zero")
    per_synapse = False


def register(cls):
    """Make a model class known to the engine (use as a class decorator). Returns the class.

    Checks that it declares what the protocol needs, so a mistake shows here, not in generated code."""
    if not (isinstance(cls, type) and issubclass(cls, PluginModel)) or cls in (NeuronModel, SynapseModel,
                                                                              LearningRule, NoiseModel,
                                                                              PresynapticModel, PluginModel):
        raise TypeError("register(cls): cls must be a subclass of NeuronModel, SynapseModel, LearningRule, "
                        f"NoiseModel or PresynapticModel (the class itself, not an instance), got {cls!r}")
    if not isinstance(cls.kind, str) or not cls.kind.isidentifier():
        raise ValueError(f"{cls.__name__}.kind must be an identifier-like string, got {cls.kind!r}")
    other = _REGISTRY.get(cls.kind)
    if other is not None and other is not cls and _qualname(other) != _qualname(cls):
        raise ValueError(f"kind {cls.kind!r} is already registered by {_qualname(other)}; choose another kind")
    if issubclass(cls, PresynapticModel) and cls.per_synapse and cls.state:
        raise ValueError(f"{cls.__name__}: a per-synapse presynaptic model has no state, got {cls.state!r}")
    if issubclass(cls, NeuronModel) and (not cls.state or cls.state[0] != "v"):
        raise ValueError(f"{cls.__name__}.state must start with 'v' (the membrane voltage), got {cls.state!r}")
    for role in cls.roles_required:
        if role not in cls.functions:
            raise ValueError(f"{cls.__name__}.functions lacks the required role {role!r}")
    allowed = set(cls.roles_required) | set(cls.roles_optional)
    for role, fn in cls.functions.items():
        if role not in allowed:
            raise ValueError(f"{cls.__name__}.functions has an unknown role {role!r}; allowed: {sorted(allowed)}")
        if not isinstance(fn, types.FunctionType):
            raise TypeError(f"{cls.__name__}.functions[{role!r}] must be a plain Python function, got {fn!r}")
    _REGISTRY[cls.kind] = cls
    return cls


def threshold_param(neuron_cls):
    """The parameter a "threshold" modulation shifts for this neuron class, or None if it has none."""
    if neuron_cls.threshold is not None:
        return neuron_cls.threshold
    return "v_th" if "v_th" in neuron_cls.params else None


def registered(kind):
    """The class registered under `kind` (KeyError if none)."""
    return _REGISTRY[kind]


def require_registered(model, base, what, example):
    """`model` as a checked instance of `base`, or a TypeError saying what was expected and how to fix it.
    `example` names a typical choice, e.g. "an ExpSynapse"."""
    if not isinstance(model, base):
        raise TypeError(f"{what} must be {example} or another registered {base.__name__}, got {model!r}")
    if _REGISTRY.get(model.kind) is not type(model):
        raise TypeError(f"{type(model).__name__} (kind {model.kind!r}) is not registered: decorate the class with "
                        "@snnlib.register (snnlib.model.plugin.register)")
    return model


def _qualname(cls):
    return f"{cls.__module__}.{cls.__qualname__}"
