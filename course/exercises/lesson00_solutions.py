"""Reference solutions for exercises/00_welcome.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these
(signature and docstring kept, body replaced).  Normalised LIF units: v_rest = v_reset = 0,
threshold 1, J dimensionless; times in seconds.  The rheobase exercise uses SI volts.
"""
import numpy as np
import snnlib as snn

# %% euler_step
def euler_step(v, J, dt, tau_rc):
    """One forward-Euler step of the LIF membrane dv/dt = (J - v) / tau_rc.

    v, J: membrane voltage and drive (normalised units, floats or numpy arrays);
    dt, tau_rc: time step and membrane time constant in seconds.
    Returns the voltage after one step of length dt.
    """
    dv_dt = (J - v) / tau_rc
    return v + dt * dv_dt

# %% exact_step
def exact_step(v, J, dt, tau_rc):
    """The exact LIF membrane update over dt for a drive J held constant during the step.

    Same arguments and units as euler_step. Returns the voltage after dt: v relaxes
    exponentially towards J with time constant tau_rc.
    """
    return v + (J - v) * (1.0 - np.exp(-dt / tau_rc))

# %% rheobase
def rheobase(v_th, v_rest, v_reset):
    """The smallest constant drive J (volts, J = R*I) that brings a LIF neuron to threshold.

    v_th, v_rest, v_reset: threshold, resting and reset voltages in volts.
    Returns J_th in volts.
    """
    # With constant J the membrane settles at v_rest + J; it spikes if that reaches v_th.
    return v_th - v_rest

# %% lif_rate
def lif_rate(J, tau_rc=0.020, tau_ref=0.002):
    """Steady firing rate (Hz) of a normalised LIF neuron (threshold 1, reset 0) with drive J.

    J: numpy array of drives (dimensionless); tau_rc, tau_ref in seconds.
    Returns an array of rates in Hz, the same shape as J; 0 where J <= 1.
    """
    J = np.asarray(J, dtype=float)
    rates = np.zeros_like(J)
    above = J > 1
    rates[above] = 1.0 / (tau_ref + tau_rc * np.log1p(1.0 / (J[above] - 1.0)))
    return rates

# %% simulate_rate
def simulate_rate(J, dt=1e-4, t_end=1.0, tau_rc=0.020, tau_ref=0.002):
    """Firing rate (Hz) of a simulated normalised LIF neuron with constant drive J.

    Steps the membrane with exact_step from v = 0 for t_end seconds (time step dt, s); when v
    reaches 1 it counts a spike, resets v to 0 and holds it there for tau_ref seconds.
    Returns the number of spikes divided by t_end.
    """
    v, n_spikes, hold = 0.0, 0, 0
    refractory_steps = round(tau_ref / dt)   # whole steps: no rounding drift from subtracting dt
    for _ in range(round(t_end / dt)):
        if hold > 0:
            hold -= 1
            continue
        v = exact_step(v, J, dt, tau_rc)
        if v >= 1.0:
            n_spikes += 1
            v, hold = 0.0, refractory_steps
    return n_spikes / t_end

# %% J_100Hz
tau_rc, tau_ref, rate = 0.020, 0.002, 100.0      # seconds, seconds, Hz
period = 1.0 / rate                              # 10 ms between spikes, 2 ms of them refractory
J_100Hz = 1.0 + 1.0 / np.expm1((period - tau_ref) / tau_rc)

# %% poisson_population_rate
def poisson_population_rate(input_rate, n_inputs, weight, t_end, seed):
    """Mean firing rate (Hz) of 20 LIF neurons driven by n_inputs Poisson sources (connection probability 0.5).

    input_rate: rate of each source (Hz); weight: synaptic weight (normalised units of charge per spike,
    area-normalised 5 ms exponential synapses); t_end: simulated time (s); seed: the network's seed.
    """
    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(20)                      # snnlib's default LIF: 20 ms, 2 ms, threshold 1
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    return sim.counts["spikes"] / (neurons.n * t_end)  # spikes per neuron per second

# %% rate_below_rheobase
# mean drive 0.5 x 200 inputs x 0.001 x 9 Hz = 0.9 < 1: the deterministic neuron would be silent
rate_below_rheobase = poisson_population_rate(9.0, 200, 0.001, 2.0, seed=1)
