"""A network using every neuron, synapse and presynaptic model of the catalogue, for the JIT == plain-Python
test."""

import snnlib as snn

mV = 1e-3


def run_catalogue(t=0.1):
    net = snn.Network(seed=9)
    si = dict(tau_rc=0.02, v_th=-50 * mV, v_reset=-65 * mV, v_rest=-65 * mV)
    pops = [net.population(6, snn.Izhikevich(preset="CH"), bias=10.0, label="izh"),
            net.population(5, snn.AdEx(preset="bursting"), bias=0.021, label="adex"),
            net.population(5, snn.AdaptiveLIF(), bias=1.5, v_init=snn.Uniform(0, 1), label="alif"),
            net.population(4, snn.TwoCompartmentLIF(), bias=1.1, label="two"),
            net.population(5, snn.LIF(**si), bias=18 * mV, label="si")]
    src = net.poisson(8, rate=80.0)
    net.connect_random(src, pops[2], p=0.5, weight=0.3, synapse=snn.AlphaSynapse(3e-3))
    net.connect_random(src, pops[3], p=0.5, weight=0.2, synapse=snn.DoubleExpSynapse(1e-3, 5e-3))
    net.connect_random(src, pops[4], p=0.5, weight=0.05, synapse=snn.NMDASynapse())
    net.connect_random(pops[0], pops[4], p=0.5, weight=0.1, synapse=snn.ConductanceSynapse(E_rev=-80 * mV))
    net.connect_random(pops[2], pops[1], p=0.5, weight=0.001, synapse=snn.ExpSynapse(5e-3),
                       presynaptic=snn.TsodyksMarkram(U=0.2, tau_D=0.2, tau_F=0.5))
    net.connect_random(src, pops[2], p=0.5, weight=0.5, synapse=snn.ExpSynapse(5e-3), presynaptic=snn.Release(0.4))
    probes = [net.probe(p, "spikes") for p in pops] + [net.probe(p, "voltage") for p in pops]
    sim = snn.Simulator(net, dt=1e-4, chunk_steps=313)
    sim.run(t)
    return {f"{p.obj.label}.{p.target}": (sim.data[p].times.tolist() + sim.data[p].neurons.tolist()
                                          if p.target == "spikes" else sim.data[p].ravel().tolist())
            for p in probes}
