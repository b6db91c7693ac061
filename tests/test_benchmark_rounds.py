"""benchmarks/run.py's arithmetic: figures are medians over the rounds, ratios the medians of
the per-round ratios (not the ratio of the medians)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import run  # noqa: E402

CFG = {"bib_sizes": [10, 20, 30], "cluster_sizes": [10, 20], "one_reps": 5}


def engine_round(t: float) -> dict:
    """One engine's results of one round, every time being `t` seconds (per item: t ms)."""
    sizes = lambda ns: {str(n): {"n": n, "seconds": t * n / 1000, "cpu_seconds": t * n / 1000,  # noqa: E731
                                 "per_item_ms": t, "estimated": False} for n in ns}
    return {"first": {"seconds": t, "cpu_seconds": t},
            "load": {label: {"seconds": t} for label in run.STYLES},
            "one": {"per_op_ms": t, "cpu_seconds": t * 5 / 1000, "n": 5},
            "bibliography": sizes(CFG["bib_sizes"]), "clusters": sizes(CFG["cluster_sizes"])}


def result(times: list[tuple[float, float]]) -> dict:
    rounds = [{"cold_start": {"citekit": {"seconds": a, "cpu_seconds": a}, "citeproc-py": {"seconds": b, "cpu_seconds": b}},
               "citekit": engine_round(a), "citeproc-py": engine_round(b)} for a, b in times]
    res = {"config": CFG, "engines": ["citekit", "citeproc-py"], "rounds": rounds, "cold_start": {}, "runs": {}}
    for e in res["engines"]:
        res["runs"][e] = run.merge_rounds([{e: r[e]} for r in rounds], e)
        res["cold_start"][e] = {k: run.statistics.median(r["cold_start"][e][k] for r in rounds)
                                for k in ("seconds", "cpu_seconds")}
    return res


def test_ratios_are_medians_of_the_per_round_ratios():
    # per-round ratios 2, 1.5 and 10: their median is 2; the ratio of the medians would be 3 / 1
    res = result([(1.0, 2.0), (2.0, 3.0), (0.5, 5.0)])
    rows = {label: (values, ratios) for label, _, values, ratios in run.measured_rows(res)}
    values, ratios = rows[run.COLD_ROW]
    assert values["citekit"] == (1.0, False) and values["citeproc-py"] == (3.0, False)
    assert ratios["citeproc-py"] == 2.0 and ratios["citekit"] == 1.0
    values, ratios = rows["APA bibliography of 20, per entry"]
    assert ratios["citeproc-py"] == 2.0
    assert res["runs"]["citeproc-py"]["bibliography"]["20"]["per_item_ms"] == 3.0


def test_a_size_estimated_in_some_rounds_keeps_a_note():
    res = result([(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)])
    res["rounds"][1]["citeproc-py"]["bibliography"]["30"].update(estimated=True, note="not run")
    res["runs"]["citeproc-py"] = run.merge_rounds([{"citeproc-py": r["citeproc-py"]} for r in res["rounds"]],
                                                  "citeproc-py")
    merged = res["runs"]["citeproc-py"]["bibliography"]["30"]
    assert merged["estimated"] and merged["note"] == "not run"
    res["runs"]["citekit"]["one"]["note"] = res["runs"]["citeproc-py"]["one"]["note"] = ""
    assert any("in some rounds" in n for n in run.notes({**res, "citeproc_js": ""}))
