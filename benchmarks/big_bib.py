"""A large, realistic .bib through the BibTeX reader: time and peak memory.

    python benchmarks/big_bib.py                     # 100,000 entries (about 50 MB)
    python benchmarks/big_bib.py --entries 10000     # a smaller run
    python benchmarks/big_bib.py --command           # also `citekit bib` on the file
    python benchmarks/big_bib.py --how stream-traced # iter_load under tracemalloc
    python benchmarks/big_bib.py --write big.bib     # only write the file (for `citekit bib --each`)

The file is generated (seeded) into a temporary folder: articles, books and chapters
with several authors, LaTeX accents, `@string` journal names, a crossref in every
tenth entry and an abstract of a few hundred characters, so that the mean entry is
about 500 bytes. Each measure runs in a fresh process; peak memory is the process's
peak resident set (VmHWM) minus what the imports alone take. `load` keeps every
reference (as `load()` returns them); `stream` reads the same file with `iter_load()`,
dropping each item once counted.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = ["M{\\\"u}ller", "Smith", "Garc{\\'\\i}a", "Nakamura", "O'Brien", "van der Berg",
            "Kowalski", "Dubois", "Rossi", "Andersson", "Zissis", "Chen", "Okafor", "Silva"]
GIVEN = ["Anna", "Bernd", "Carin", "D.", "Eva", "Fran{\\c{c}}ois", "G. H.", "Hiro", "Ines"]
WORDS = ("citation style language bibliography reference formatting engine analysis "
         "of the effect study model data theory results method review new approach "
         "{DNA} {RNA} {Drosophila} temperature evidence survey").split() + ["\\emph{in vivo}"]
JOURNALS = ["jacs", "nature", "plos", "cell"]


def _title(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def make_bib(entries: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = ['@string{jacs = "Journal of the American Chemical Society"}',
           '@string{nature = "Nature"}', '@string{plos = "PLOS ONE"}', '@string{cell = "Cell"}', ""]
    for i in range(entries):
        authors = " and ".join(f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}"
                               for _ in range(rng.randint(1, 6)))
        year = rng.randint(1950, 2025)
        abstract = _title(rng, rng.randint(15, 40))
        kind = i % 10
        if kind == 9 and i > 0:
            out.append(f"@incollection{{e{i},\n  author = {{{authors}}},\n  title = {{{_title(rng, 8)}}},\n"
                       f"  crossref = {{e{i - 1}}},\n  pages = {{{rng.randint(1, 300)}--{rng.randint(301, 600)}}},\n"
                       f"  abstract = {{{abstract}}}\n}}\n")
        elif kind == 8:
            out.append(f"@book{{e{i},\n  editor = {{{authors}}},\n  title = {{{_title(rng, 6)}}},\n"
                       f"  publisher = {{Oxford University Press}},\n  address = {{Oxford}},\n"
                       f"  year = {{{year}}},\n  isbn = {{978-0-19-{i:06d}-1}},\n  abstract = {{{abstract}}}\n}}\n")
        else:
            out.append(f"@article{{e{i},\n  author = {{{authors}}},\n  title = {{{_title(rng, 10)}}},\n"
                       f"  journal = {rng.choice(JOURNALS)},\n  year = {year},\n  month = {rng.choice(['jan', 'jun', 'dec'])},\n"
                       f"  volume = {{{rng.randint(1, 150)}}},\n  number = {{{rng.randint(1, 12)}}},\n"
                       f"  pages = {{{rng.randint(1, 900)}--{rng.randint(901, 1800)}}},\n"
                       f"  doi = {{10.1000/j.{i}}},\n  abstract = {{{abstract}}}\n}}\n")
    return "\n".join(out)


def _memory_kb(field: str) -> int:
    """VmRSS or VmHWM of this process, in KB. ru_maxrss would do for the peak, but Linux
    carries it over exec from the parent (which held the generated text)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _measure_reader(path: str, how: str) -> None:
    # Runs in a fresh process: prints one JSON line. how: "load" (every reference kept),
    # "stream" (iter_load, each item dropped once read) or "stream-traced" (the same
    # under tracemalloc, which also gives the peak of Python's own allocations).
    import citekit.readers  # noqa: F401  (imports are not counted)
    import citekit.readers.bibtex  # noqa: F401
    import citekit.models  # noqa: F401
    from citekit.readers import Problem

    if how == "stream-traced":
        import tracemalloc

        tracemalloc.start()
    base = _memory_kb("VmRSS")
    t0 = time.process_time()
    if how == "load":
        result = citekit.readers.load(Path(path))
        references, problems = len(result.references), len(result.problems)
    else:
        references = problems = 0
        for found in citekit.readers.iter_load(Path(path)):
            if isinstance(found, Problem):
                problems += 1
            else:
                references += 1
    cpu = time.process_time() - t0
    peak = _memory_kb("VmHWM")
    figures = {"references": references, "problems": problems,
               "cpu_s": round(cpu, 2), "peak_mb": round((peak - base) / 1024, 1),
               "rss_mb": round(peak / 1024, 1)}
    if how == "stream-traced":
        figures["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    print(json.dumps(figures))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--command", action="store_true", help="also time `citekit bib FILE` (text, APA)")
    ap.add_argument("--how", default="load,stream",
                    help="reader measures, comma-separated: load, stream, stream-traced (default load,stream)")
    ap.add_argument("--write", metavar="FILE", help="write the file there and measure nothing")
    ap.add_argument("--_reader", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:
        Path(args.write).write_text(make_bib(args.entries, args.seed), encoding="utf-8")
        print(f"{args.entries:,} entries, {Path(args.write).stat().st_size / 1e6:.1f} MB: {args.write}")
        return
    if args._reader:
        _measure_reader(args._reader, args.how)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.bib"
        path.write_text(make_bib(args.entries, args.seed), encoding="utf-8")
        size = path.stat().st_size
        print(f"{args.entries:,} entries, {size / 1e6:.1f} MB")
        for how in [h.strip() for h in args.how.split(",") if h.strip()]:
            out = subprocess.run([sys.executable, __file__, "--_reader", str(path), "--how", how],
                                 capture_output=True, text=True, check=True)
            figures = json.loads(out.stdout)
            traced = (f", tracemalloc peak {figures['traced_peak_mb']} MB"
                      if "traced_peak_mb" in figures else "")
            print(f"reader ({how}): {figures['references']:,} references, {figures['problems']} problems, "
                  f"{figures['cpu_s']} s CPU, peak {figures['peak_mb']} MB above imports "
                  f"({figures['rss_mb']} MB resident){traced}", flush=True)
        if args.command:
            t0 = time.time()
            start = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([sys.executable, "-m", "citekit", "bib", str(path), "--style", "apa"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            end = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (end.ru_utime + end.ru_stime) - (start.ru_utime + start.ru_stime)
            print(f"citekit bib: exit {done.returncode}, {cpu:.1f} s CPU, {time.time() - t0:.1f} s wall, "
                  f"peak {end.ru_maxrss / 1024:.0f} MB resident")


if __name__ == "__main__":
    main()
