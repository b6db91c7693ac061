"""Memory per item of a sorted, disambiguated bibliography (issue 14), by tracemalloc.

    python benchmarks/memory.py                      # APA at 5,000 and 50,000 items
    python benchmarks/memory.py --sizes 5000 --style modern-language-association
    python benchmarks/memory.py --breakdown 0        # the peaks alone (no breakdown run)
    python benchmarks/memory.py --sizes 5000 --phase disambiguation   # what that step holds at its peak
    python benchmarks/memory.py --json figures.json

Each measure runs in a fresh process: the items are generated (`items.py`, seeded), the
style is loaded and a 10-item bibliography rendered (the style, the locale, the collator
and the engine's lazily built tables are not the items' cost), then `tracemalloc` starts
and `citekit.render(style, items)` runs. The items already exist when tracing starts,
so the traced peak is what the engine holds beyond its input; divided by the number of
items, it is the figure of issue 14's target (at most 1 KB an item at 50,000). The size
of the input itself (every object of the item dicts, counted once) is printed beside it.

The breakdown (`--breakdown N`, 5,000 items unless told, 0 for none) is a second fresh
process with the same items and hash seed: the run of the first gives the peak, and this
one takes tracemalloc snapshots as its traced memory comes within 3% of that peak, keeping
the statistics of the largest: what is held at the peak by line of the allocation
(`filename:lineno`) and by file, and the engine function then running.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def deep_size(obj, seen: set | None = None) -> int:
    """Bytes of obj and everything it holds (dicts, lists, tuples), each object once."""
    seen = set() if seen is None else seen
    stack = [obj]
    total = 0
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
    return total


def _prepare(style: str, n: int, seed: int):
    sys.path.insert(0, str(HERE))
    import citekit
    from items import generate

    items = generate(n, seed)
    citekit.render(style, generate(10, seed + 1))  # the style, locale, collator: not the items' cost
    gc.collect()
    return citekit, items


# The steps of a run whose peaks are told apart: (module, attribute, what it does).
PHASES = (
    ("citekit.csl.engine", "Document._number_items", "numbering and the first sort"),
    ("citekit.csl.engine", "disambiguate", "disambiguation"),
    ("citekit.csl.engine", "Document._resort_expanded", "the re-sort after name expansion"),
    ("citekit.csl.engine", "assign_positions", "positions"),
    ("citekit.csl.engine", "Document.render_citations", "citations"),
    ("citekit.csl.engine", "Document.render_bibliography", "the bibliography's entries"),
)


def _watch_phases(tracemalloc) -> list:
    """Wrap each step of PHASES so that the traced peak of each, and of the stretches
    between them, is recorded: [(what ran, peak bytes)] in order."""
    import importlib

    phases: list = []
    state = {"label": "reading the items"}

    def mark(label):
        phases.append((state["label"], tracemalloc.get_traced_memory()[1]))
        tracemalloc.reset_peak()
        state["label"] = label

    def wrap(fn, label):
        def wrapped(*args, **kwargs):
            mark(label)
            try:
                return fn(*args, **kwargs)
            finally:
                mark(f"after {label}")
        return wrapped

    for module, attr, label in PHASES:
        owner = importlib.import_module(module)
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, wrap(getattr(owner, name), label))
    phases.append(mark)  # (the last item: closes the last stretch; removed by the caller)
    return phases


def child_peak(style: str, n: int, seed: int) -> dict:
    import tracemalloc

    citekit, items = _prepare(style, n, seed)
    input_bytes = deep_size(items)
    phases = _watch_phases(tracemalloc)
    mark = phases.pop()
    t0 = time.process_time()
    tracemalloc.start()
    result = citekit.render(style, items)
    mark("")
    current = tracemalloc.get_traced_memory()[0]
    peak = max(p for _, p in phases)
    tracemalloc.stop()
    cpu = time.process_time() - t0
    return {"style": style, "items": n, "entries": len(result.bibliography), "peak_bytes": peak,
            "peak_kb_per_item": round(peak / n / 1024, 3), "result_bytes": current,
            "input_bytes": input_bytes, "input_kb_per_item": round(input_bytes / n / 1024, 3),
            "cpu_s": round(cpu, 2), "phases": [{"phase": label, "peak_bytes": p} for label, p in phases]}


def child_breakdown(style: str, n: int, seed: int, target: int, top: int, phase: str = "") -> dict:
    """Snapshots taken when the traced memory nears `target` (the peak a run without the
    hook found; with `phase`, the peak of that step, snapshots being taken only while it
    runs); the statistics of the one taken highest."""
    import importlib
    import tracemalloc

    citekit, items = _prepare(style, n, seed)
    engine_dir = str(Path(citekit.__file__).parent)
    threshold = int(target * 0.97)
    state = {"next": threshold, "best": None, "on": not phase}
    for module, attr, label in PHASES:
        if phase and label == phase:
            owner = importlib.import_module(module)
            *path, name = attr.split(".")
            for part in path:
                owner = getattr(owner, part)
            fn = getattr(owner, name)

            def watched(*args, _fn=fn, **kwargs):
                state["on"] = True
                try:
                    return _fn(*args, **kwargs)
                finally:
                    state["on"] = False
            setattr(owner, name, watched)

    def summarize(snapshot, current, where):
        snapshot = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__),
                                           tracemalloc.Filter(False, __file__)])
        by_line = snapshot.statistics("lineno")
        by_file = snapshot.statistics("filename")
        total = sum(s.size for s in by_line)

        def name(filename):
            return os.path.relpath(filename, engine_dir) if filename.startswith(engine_dir) else filename

        return {"traced_bytes": total, "current_bytes": current, "function": where,
                "by_line": [{"where": f"{name(s.traceback[0].filename)}:{s.traceback[0].lineno}",
                             "bytes": s.size, "count": s.count} for s in by_line[:top]],
                "by_file": [{"file": name(s.traceback[0].filename), "bytes": s.size, "count": s.count}
                            for s in by_file[:top]]}

    def hook(frame, event, arg):
        if event != "return" or not state["on"]:
            return
        current = tracemalloc.get_traced_memory()[0]
        if current < state["next"]:
            return
        code = frame.f_code
        where = f"{os.path.relpath(code.co_filename, engine_dir)}:{code.co_name}"
        snap = tracemalloc.take_snapshot()
        summary = summarize(snap, current, where)
        del snap
        if state["best"] is None or summary["traced_bytes"] > state["best"]["traced_bytes"]:
            state["best"] = summary
        # the next snapshot once memory has grown by another half per cent of the peak
        state["next"] = tracemalloc.get_traced_memory()[0] + max(target // 200, 1)

    tracemalloc.start()
    sys.setprofile(hook)
    try:
        citekit.render(style, items)
    finally:
        sys.setprofile(None)
    tracemalloc.stop()
    return state["best"] or {}


def run_child(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the breakdown run repeats the peak run's allocations
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="5000,50000", help="numbers of items, comma-separated")
    p.add_argument("--style", default="apa")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--breakdown", type=int, default=5000,
                   help="the size whose peak is broken down (0: none; one of --sizes or another)")
    p.add_argument("--top", type=int, default=25, help="lines and files listed in the breakdown")
    p.add_argument("--phase", default="", choices=[""] + [label for _, _, label in PHASES],
                   help="break down the peak of this step rather than the run's")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--child", choices=("peak", "breakdown"), help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    p.add_argument("--target", type=int, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child == "peak":
        json.dump(child_peak(a.style, a.n, a.seed), sys.stdout)
        return 0
    if a.child == "breakdown":
        json.dump(child_breakdown(a.style, a.n, a.seed, a.target, a.top, a.phase), sys.stdout)
        return 0
    common = ["--style", a.style, "--seed", str(a.seed)]
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    figures = {"peaks": [], "breakdown": None}
    print(f"{a.style}: tracemalloc peak of citekit.render(style, items), beyond the input", flush=True)
    print(f"{'items':>8}  {'peak MB':>8}  {'KB/item':>8}  {'input KB/item':>13}  {'CPU s':>6}", flush=True)
    peaks = {}
    for n in sorted(set(sizes) | ({a.breakdown} if a.breakdown else set())):
        f = run_child(["--child", "peak", "--n", str(n), *common])
        peaks[n] = f
        if n in sizes:
            figures["peaks"].append(f)
            print(f"{n:>8,}  {f['peak_bytes'] / 1e6:>8.1f}  {f['peak_kb_per_item']:>8.2f}  "
                  f"{f['input_kb_per_item']:>13.2f}  {f['cpu_s']:>6.1f}", flush=True)
    for f in figures["peaks"]:
        print(f"\npeak of each step at {f['items']:,} items (KB an item)")
        for ph in f["phases"]:
            print(f"{ph['peak_bytes'] / f['items'] / 1024:>8.2f}  {ph['phase']}")
    if a.breakdown:
        n = a.breakdown
        target = peaks[n]["peak_bytes"]
        if a.phase:
            target = next(ph["peak_bytes"] for ph in peaks[n]["phases"] if ph["phase"] == a.phase)
        b = run_child(["--child", "breakdown", "--n", str(n), "--target", str(target), "--top", str(a.top),
                       "--phase", a.phase, *common])
        figures["breakdown"] = {"items": n, **b}
        if b:
            print(f"\nheld near the peak at {n:,} items: {b['traced_bytes'] / 1e6:.1f} MB "
                  f"({b['traced_bytes'] / n:.0f} B/item), returning from {b['function']}")
            print(f"\n{'bytes/item':>10}  {'objects':>9}  file")
            for s in b["by_file"]:
                print(f"{s['bytes'] / n:>10.0f}  {s['count']:>9,}  {s['file']}")
            print(f"\n{'bytes/item':>10}  {'objects':>9}  line")
            for s in b["by_line"]:
                print(f"{s['bytes'] / n:>10.0f}  {s['count']:>9,}  {s['where']}")
        else:
            print("\n(no snapshot came near the peak)")
    if a.json:
        Path(a.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
