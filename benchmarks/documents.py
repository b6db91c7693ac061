"""A 100-page Markdown document through citekit.render_markdown: 1,000 citations of 300
references, in an author-date, a numeric and a note style (the target: under 1 s each).

    python benchmarks/documents.py [--pages 100] [--citations 1000] [--references 300] [--repeat 5]

The document is generated from a seed: about 300 words a page, paragraphs with one to
three citations each (prefixes, locators, suppressed authors, author-in-text), a few
footnotes of the author's own, and a ::: {#refs} div at the end. The references are
benchmarks/items.py's items. The time is the whole call: front matter, scanning,
the engine's run over every cluster, and writing the document back; the style is parsed
once before (the registry keeps it), as it is in any program that renders more than once.
Both the wall-clock and the CPU time are printed: on a shared machine the first follows
the load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from items import WORDS, generate  # noqa: E402

import citekit  # noqa: E402
from citekit.documents import render_markdown  # noqa: E402

STYLES = ("chicago-author-date", "ieee", "chicago-notes-bibliography")


def make_document(pages: int, citations: int, refs: list[dict], seed: int = 7) -> str:
    rng = random.Random(seed)
    ids = [r["id"] for r in refs]
    words_per_page = 300
    total_words = pages * words_per_page
    paragraphs = []
    made = 0
    words = 0
    note = 0
    per_cite = total_words / citations
    while words < total_words:
        sentence_words = []
        parts = []
        for _ in range(rng.randint(3, 6)):  # sentences
            n = rng.randint(10, 22)
            sentence_words = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()
            words += n
            cite = ""
            if made < citations and words >= made * per_cite:
                made += 1
                kind = rng.random()
                key = rng.choice(ids)
                if kind < 0.15:
                    sentence_words = f"@{key} [p. {rng.randint(1, 400)}] argues that " + sentence_words.lower()
                elif kind < 0.25:
                    cite = f" [-@{key}, {rng.randint(1, 400)}]"
                elif kind < 0.45:
                    other = rng.choice(ids)
                    cite = f" [see @{key}, pp. {rng.randint(1, 200)}-{rng.randint(201, 400)}; also @{other}]"
                else:
                    cite = f" [@{key}]"
            if rng.random() < 0.01:
                note += 1
                cite += f"[^n{note}]"
                paragraphs.append(f"[^n{note}]: An aside of the author's, citing [@{rng.choice(ids)}].")
            parts.append(sentence_words + cite + ".")
        paragraphs.append(" ".join(parts))
    notes = [p for p in paragraphs if p.startswith("[^")]
    body = [p for p in paragraphs if not p.startswith("[^")]
    return ("# A long paper\n\n" + "\n\n".join(body) + "\n\n# References\n\n::: {#refs}\n:::\n\n"
            + "\n\n".join(notes) + "\n"), made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--citations", type=int, default=1000)
    ap.add_argument("--references", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    refs = generate(args.references, seed=1)
    text, made = make_document(args.pages, args.citations, refs)
    print(f"document: {len(text.split()):,} words, {made} citations written (plus the author's notes), "
          f"{len(refs)} references")
    for style in STYLES:
        citekit.resolve_style(style)  # parsed once, as the registry keeps it
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            doc = render_markdown(text, refs, style=style)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"{style:<28} wall median {statistics.median(times) * 1000:6.0f} ms (best {min(times) * 1000:4.0f})"
              f"   CPU median {statistics.median(cpu) * 1000:6.0f} ms (best {min(cpu) * 1000:4.0f})   "
              f"{len(doc.placed)} citations, {len(doc.bibliography)} entries, {len(doc.warnings)} warnings")
    if hasattr(os, "getloadavg"):
        # on a shared machine the wall time follows the load; the CPU time much less
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
