"""benchmarks/run_all.py's alternated rounds (snnlib's CUBA, CUBA+STDP and Brian2 cpp_standalone in the same
rounds) and vs_brian2.py, on fake runs: no process is started and nothing is timed."""

import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import report  # noqa: E402
import run_all  # noqa: E402


def test_alternated_runs_rotate_the_variants_round_by_round(monkeypatch):
    calls = []

    def fake(python, script, *args, timeout=1800):
        calls.append((python, script.name) + args)
        t = 0.01 * len(calls) * (2 if args else 1)
        return {"run_cpu_s": t, "spikes": 1, "process_cpu_s": 1.0}, 1.0

    monkeypatch.setattr(run_all, "run_json", fake)
    cuba = run_all.HERE / "cuba.py"
    out = run_all.alternated({"plain": ("py", cuba, ()), "stdp": ("py", cuba, ("--stdp",))}, 4, ("run_cpu_s",))
    # warm-ups, then rounds: plain stdp | stdp plain | plain stdp | stdp plain
    p, s = ("py", "cuba.py"), ("py", "cuba.py", "--stdp")
    assert calls == [p, s, p, s, s, p, p, s, s, p]
    assert out["plain"]["run_cpu_s_runs"] == pytest.approx([0.03, 0.06, 0.07, 0.10])
    assert out["stdp"]["run_cpu_s_runs"] == pytest.approx([0.08, 0.10, 0.16, 0.18])
    assert out["plain"]["run_cpu_s"] == pytest.approx(0.065) and out["stdp"]["run_cpu_s_min"] == pytest.approx(0.08)


def test_alternated_runs_each_variant_with_its_own_interpreter_and_keys(monkeypatch):
    """make bench's rounds: snnlib's two CUBA runs and Brian2's in the peers' interpreter, the order rotating."""
    calls = []

    def fake(python, script, *args, timeout=1800):
        calls.append((python, script.name) + args)
        rec = {"loop_s": 0.1 * len(calls)} if python == "peers" else {"run_cpu_s": 0.01 * len(calls)}
        return dict(rec, process_cpu_s=1.0), 1.0

    monkeypatch.setattr(run_all, "run_json", fake)
    b2 = ("peers", run_all.HERE / "peers" / "brian2_cuba.py", ("--target", "cpp_standalone"))
    out = run_all.alternated({"cuba": ("py", run_all.HERE / "cuba.py", ()), "b2": b2}, 3,
                             {"cuba": ("run_cpu_s",), "b2": ("loop_s",)})
    c, b = ("py", "cuba.py"), ("peers", "brian2_cuba.py", "--target", "cpp_standalone")
    assert calls == [c, b, c, b, b, c, c, b]           # warm-ups, then c b | b c | c b
    assert out["cuba"]["run_cpu_s_runs"] == pytest.approx([0.03, 0.06, 0.07])
    assert out["b2"]["loop_s_runs"] == pytest.approx([0.4, 0.5, 0.8])
    assert out["b2"]["loop_s"] == pytest.approx(0.5) and out["b2"]["loop_s_min"] == pytest.approx(0.4)
    assert "run_cpu_s" not in out["b2"] and "loop_s_runs" not in out["cuba"]


def test_cuba_rounds_put_brian2_in_the_rounds_and_survive_its_failure(monkeypatch):
    calls, broken = [], []

    def fake(python, script, *args, timeout=1800):
        calls.append(script.name)
        if script.name == "brian2_cuba.py":
            if broken:
                raise RuntimeError("brian2_cuba.py --target cpp_standalone failed (exit 1):\nno compiler")
            return {"loop_s": 0.1, "build_s": 3.0, "total_s": 6.0, "process_cpu_s": 6.0, "rate_hz": 5.6,
                    "cv_isi": 0.5}, 7.0
        return {"run_s": 0.02, "run_cpu_s": 0.02, "build_s": 1.0, "total_s": 2.0, "process_cpu_s": 1.0,
                "rate_hz": 5.5, "cv_isi": 0.5}, 2.0

    monkeypatch.setattr(run_all, "run_json", fake)
    keys = ("run_s", "run_cpu_s", "build_s", "total_s")
    res = {}
    run_all.cuba_rounds("peers", 3, keys, res)
    assert calls.count("cuba.py") == 8 and calls.count("brian2_cuba.py") == 4    # a warm-up + 3 rounds each
    assert res["brian2_cpp_standalone"]["loop_s_runs"] == [0.1] * 3 and len(res["cuba"]["run_cpu_s_runs"]) == 3
    r = report.ratios(res)
    assert r["loop_vs_cpp_standalone"] == pytest.approx(0.2) and r["loop_vs_cpp_standalone_rounds"] == 3
    assert r["stdp_vs_plain_rounds"] == 3
    # Brian2 broken: reported, and the rounds run again without it
    calls.clear(), broken.append(True)
    res = {}
    run_all.cuba_rounds("peers", 3, keys, res)
    assert "no compiler" in res["peer_errors"]["brian2_cpp_standalone"] and "brian2_cpp_standalone" not in res
    assert calls == ["cuba.py", "cuba.py", "brian2_cuba.py"] + ["cuba.py"] * 8
    # without peers no Brian2 run at all; snnlib's own failure is not swallowed
    calls.clear()
    run_all.cuba_rounds(None, 2, keys, {})
    assert calls == ["cuba.py"] * 6
    calls.clear(), broken.clear()

    def snnlib_stuck_once(python, script, *args, timeout=1800):
        if not calls:
            calls.append(script.name)
            raise subprocess.TimeoutExpired(["python", str(script)], 1800)
        return fake(python, script, *args)

    monkeypatch.setattr(run_all, "run_json", snnlib_stuck_once)
    res = {}
    with pytest.raises(subprocess.TimeoutExpired):
        run_all.cuba_rounds("peers", 2, keys, res)
    assert "peer_errors" not in res


def test_vs_brian2_pairs_are_the_alternated_rounds(monkeypatch, capsys):
    import vs_brian2

    calls = []

    def fake(python, script, *args, timeout=1800):
        calls.append(script.name)
        n = len(calls)
        rec = {"loop_s": 0.1 * n} if script.name == "brian2_cuba.py" else {"run_cpu_s": 0.01 * n if n != 6 else 0.09}
        return dict(rec, process_cpu_s=1.0), 1.0

    monkeypatch.setattr(run_all, "run_json", fake)
    assert vs_brian2.main(["--json", "--pairs", "3", "--peers-venv", "/nowhere"]) == 0
    out = json.loads(capsys.readouterr().out)
    c, b = "cuba.py", "brian2_cuba.py"
    assert calls == [c, b, c, b, b, c, c, b]      # warm-ups, then the pairs' order swapped every pair
    # pairs (0.03, 0.4), (0.09, 0.5), (0.07, 0.8): ratios 0.075, 0.18, 0.0875, each snnlib run over its pair's Brian2
    assert [p["ratio"] for p in out["pairs"]] == pytest.approx([0.075, 0.18, 0.0875])
    assert (out["ratio_median"], out["ratio_min"], out["ratio_max"]) == pytest.approx((0.0875, 0.075, 0.18))
    assert out["brian2_loop_s_median"] == pytest.approx(0.5)


def test_the_scaling_sweep_times_the_judged_size_in_threads_rounds_and_the_others_in_three(monkeypatch):
    """run_all.run_scaling: 1 and 2 threads alternated in --threads-rounds rounds at 64,000 neurons (k = 16, the
    judged speed-up), 3 rounds at the other sizes; the twins' ceiling from k = 16 on."""
    import scaling

    calls = []

    def fake(python, script, *args, timeout=1800):
        calls.append(args)
        return {"scale": int(args[1])}, 1.0

    monkeypatch.setattr(run_all, "run_json", fake)
    monkeypatch.setattr(scaling, "table", lambda records, brian, threads: "table")
    monkeypatch.setattr(run_all.os, "cpu_count", lambda: 2)
    res = {}
    assert run_all.run_scaling(None, True, res, threads_rounds=11) == "table"
    ab = {int(a[1]): a for a in calls if "--threads-ab" in a}
    assert sorted(ab) == [1, 4, scaling.JUDGED, 64] and scaling.JUDGED == 16
    rounds = {k: int(a[a.index("--rounds") + 1]) for k, a in ab.items()}
    assert rounds == {1: 3, 4: 3, 16: 11, 64: 3}
    assert [k for k, a in ab.items() if "--ceiling" in a] == [16, 64]
    assert sorted(res["scaling_threads"]) == ["k1", "k16", "k4", "k64"]


def test_threads_rounds_below_one_is_refused_with_what_is_allowed(capsys):
    with pytest.raises(SystemExit):
        run_all.main(["--threads-rounds", "0"])
    assert "--threads-rounds must be at least 1, got 0" in capsys.readouterr().err
