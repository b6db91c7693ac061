"""Instructions per bibliography entry, counted with valgrind's callgrind.

Times on a shared machine move with its load; instruction counts do not. This runs two
processes under `valgrind --tool=callgrind`: each imports citekit, renders a 10-item
warm-up bibliography (so that loading and compiling the style, the locale and the first
use of every code path are paid there), and then the first N items of
`items.generate(N, seed=7)` through `citekit.render(style, items)`; the other does the
warm-up only (N = 0). The difference divided by N is the cost of one entry, sorted and
disambiguated as `render` does it.

    python benchmarks/instructions.py                        # APA, 300 items
    python benchmarks/instructions.py --styles apa,modern-language-association
    PYTHONPATH=/elsewhere/src python benchmarks/instructions.py   # another checkout's engine

Each process takes about a minute under valgrind. `--keep DIR` keeps the callgrind files
for `callgrind_annotate`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM_UP = 10


def _child(style: str, n: int, seed: int) -> None:
    sys.path.insert(0, str(HERE))
    import citekit
    import items as generator

    data = generator.generate(max(n, WARM_UP), seed=seed)
    citekit.render(style, data[:WARM_UP])
    if n:
        citekit.render(style, data[:n])


def _count(valgrind: str, style: str, n: int, seed: int, out: Path) -> int:
    # (no parsed-style cache: the first process after a change would write it and the next
    # read it, and the difference between the two would be counted as the entries' cost)
    env = dict(os.environ, PYTHONHASHSEED="0", CITEKIT_STYLE_CACHE="0")
    command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}",
               sys.executable, str(Path(__file__).resolve()),
               "--child", style, str(n), str(seed)]
    subprocess.run(command, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = out.read_text(encoding="utf-8", errors="replace")
    found = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
    if found is None:
        raise SystemExit(f"no instruction total in {out}")
    return int(found.group(1))


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--styles", default="apa", help="comma-separated style ids (apa)")
    parser.add_argument("--items", type=int, default=300, help="items per bibliography (300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--valgrind", default=shutil.which("valgrind") or "valgrind")
    parser.add_argument("--keep", type=Path, help="keep the callgrind files in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="citekit-callgrind-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for style in args.styles.split(","):
            full = _count(args.valgrind, style, args.items, args.seed,
                          folder / f"callgrind.{style}.{args.items}")
            base = _count(args.valgrind, style, 0, args.seed, folder / f"callgrind.{style}.0")
            per_entry = (full - base) / args.items
            print(f"{style}: {per_entry / 1e6:.3f} M instructions per entry "
                  f"({full:,} at {args.items} items, {base:,} at 0)", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
