"""The catalogue figure: `citekit bib --each` over generated JSON Lines, timed.

    python benchmarks/catalogue.py                          # 1,000,000 records, --jobs 2, APA
    python benchmarks/catalogue.py --records 20000 --jobs 1 --style mla

Writes the records (items.py's seeded generator, one item a line, ids made unique) to a
temporary folder, runs the command as a user would (`citekit bib --each FILE --style S
--jobs N > out.jsonl`) and reports the wall time, records per second (and per core: per
job), the CPU time of the command and its workers, and the peak resident set (VmHWM) of
the parent process and of each worker, sampled from /proc while the command runs (Linux).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from items import _item  # noqa: E402


def write_records(path: Path, count: int, seed: int) -> int:
    """count items as JSON Lines, made one at a time; returns the file's size."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            item = _item(rng, index)
            item["id"] = f"r{index}"  # items.py's ids have five digits: unique past 100,000 too
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path.stat().st_size


def _peak_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def run(path: Path, out: Path, styles: list[str], jobs: int, nice: int) -> dict:
    command = [sys.executable, "-m", "citekit", "bib", "--each", str(path), "--jobs", str(jobs)]
    for style in styles:
        command += ["--style", style]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE,
                                preexec_fn=(lambda: os.nice(nice)) if nice else None)
        parent_peak, worker_peaks = 0, {}
        while proc.poll() is None:
            parent_peak = max(parent_peak, _peak_kib(proc.pid) or 0)
            for child in _children(proc.pid):
                worker_peaks[child] = max(worker_peaks.get(child, 0), _peak_kib(child) or 0)
            time.sleep(0.5)
        stderr = proc.stderr.read().decode("utf-8", "replace")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"exit": proc.returncode, "stderr": stderr[-2000:], "wall_s": wall, "cpu_s": cpu,
            "parent_peak_rss_mib": parent_peak / 1024,
            "worker_peak_rss_mib": sorted(round(v / 1024, 1) for v in worker_peaks.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--style", action="append", help="repeat for several (default: apa)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--nice", type=int, default=0, help="run the command at this niceness")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    styles = args.style or ["apa"]
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "catalogue.jsonl", Path(tmp) / "out.jsonl"
        size = write_records(path, args.records, args.seed)
        figures = run(path, out, styles, args.jobs, args.nice)
        with out.open(encoding="utf-8") as written:
            lines = sum(1 for _ in written)
    jobs = args.jobs or os.cpu_count() or 1
    rate = args.records / figures["wall_s"]
    figures.update(records=args.records, input_mib=size / 2 ** 20, written=lines, styles=styles, jobs=args.jobs,
                   records_per_s=rate, records_per_s_per_job=rate / jobs,
                   records_per_cpu_s=args.records / figures["cpu_s"] if figures["cpu_s"] else None,
                   cores=os.cpu_count(), load_after=os.getloadavg())
    print(f"{args.records:,} records ({size / 2 ** 20:.0f} MiB of JSON Lines), {', '.join(styles)}, --jobs {args.jobs}")
    print(f"  exit {figures['exit']}, {lines:,} lines written")
    print(f"  wall {figures['wall_s']:.1f} s: {rate:,.0f} records/s, {rate / jobs:,.0f} per job (core)")
    print(f"  CPU {figures['cpu_s']:.1f} s (command and workers): {figures['records_per_cpu_s'] or 0:,.0f} records "
          "per CPU-second")
    print(f"  peak RSS: parent {figures['parent_peak_rss_mib']:.0f} MiB, workers "
          f"{', '.join(f'{m:.0f}' for m in figures['worker_peak_rss_mib'])} MiB")
    print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in figures['load_after'])} ({os.cpu_count()} cores)")
    if figures["exit"] != 0:
        print(figures["stderr"], file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
