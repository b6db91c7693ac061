"""The long profile of the reader fuzzing (tests/test_fuzz_readers.py).

    python benchmarks/fuzz_readers.py --minutes 30        # rounds until 30 minutes have passed
    python benchmarks/fuzz_readers.py --examples 2000     # examples per format and round

Each round runs the four properties (BibTeX, RIS, CSL-YAML, HTML) with fresh random
examples; the first failure stops the run and prints Hypothesis's shrunk example. CI
runs the same tests with 25 fixed examples per format.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--examples", type=int, default=1000, help="examples per format and round")
    args = ap.parse_args()
    env = {**os.environ, "CITEKIT_FUZZ_EXAMPLES": str(args.examples)}
    start, rounds = time.time(), 0
    while time.time() - start < args.minutes * 60:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                               str(ROOT / "tests" / "test_fuzz_readers.py")], cwd=ROOT, env=env)
        if done.returncode:
            print(f"finding in round {rounds + 1} (see above)")
            return 1
        rounds += 1
        elapsed = (time.time() - start) / 60
        print(f"round {rounds}: {4 * args.examples * rounds:,} examples, {elapsed:.1f} minutes, no finding",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
