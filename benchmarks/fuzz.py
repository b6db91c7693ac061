"""The long fuzzing profile: the properties of tests/test_fuzz.py, for as long as asked.

    python benchmarks/fuzz.py --minutes 30            # every property, in turn
    nice python benchmarks/fuzz.py --minutes 30 --json benchmarks/results/fuzz.json

Each round runs one property for --examples new examples from a fresh random seed,
without shrinking (a finding is reported with its seed and error, and the hunt goes
on); rounds rotate over the properties until the time is up. Bounded work and memory
are checked by counting elements and by tracemalloc, never by a clock: the minutes
only say how long to keep looking. The figures printed at the end (examples, renders,
the most elements one render visited, the highest memory peak, the documented errors
met, the findings) are those quoted in docs/limits.md. Exit status 1 when anything
was found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="how long to fuzz (default: 30)")
    parser.add_argument("--examples", type=int, default=40, help="examples per round (default: 40)")
    parser.add_argument("-k", dest="only", help="run only the properties whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    # test_fuzz reads its settings when imported
    os.environ["CITEKIT_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["CITEKIT_FUZZ_SHRINK"] = "0"
    os.environ["CITEKIT_FUZZ_NO_DATABASE"] = "1"
    sys.path.insert(0, str(ROOT / "tests"))
    import test_fuzz

    properties = [getattr(test_fuzz, n) for n in dir(test_fuzz)
                  if n.startswith("test_fuzz_") and (not args.only or args.only in n)]
    if not properties:
        parser.error(f"no property matches {args.only!r}")
    per_property = {p.__name__: {"rounds": 0, "examples": 0, "findings": 0} for p in properties}
    findings = []
    start = time.monotonic()
    end = start + args.minutes * 60
    rounds = 0
    while time.monotonic() < end:
        prop = properties[rounds % len(properties)]
        rounds += 1
        before = test_fuzz.STATS["examples"]
        try:
            prop()
        except KeyboardInterrupt:
            break
        except BaseException as exc:  # a finding: keep its story, keep hunting
            err = exc
            while getattr(err, "exceptions", None):
                err = err.exceptions[0]
            frames = traceback.extract_tb(err.__traceback__)[-6:]
            findings.append({
                "property": prop.__name__,
                "error": f"{type(err).__name__}: {str(err)[:500]}",
                "where": [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames],
            })
            per_property[prop.__name__]["findings"] += 1
            print(f"FINDING in {prop.__name__}: {findings[-1]['error'][:200]}", flush=True)
        stats = per_property[prop.__name__]
        stats["rounds"] += 1
        stats["examples"] += test_fuzz.STATS["examples"] - before
        elapsed = time.monotonic() - start
        print(f"[{elapsed / 60:5.1f} min] round {rounds}: {prop.__name__} "
              f"({test_fuzz.STATS['examples']} examples so far, {len(findings)} findings)", flush=True)

    figures = {
        "minutes": round((time.monotonic() - start) / 60, 1),
        "rounds": rounds,
        **test_fuzz.STATS,
        "max_peak_mb": round(test_fuzz.STATS["max_peak"] / 1e6, 1),
        "properties": per_property,
        "findings": findings,
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
