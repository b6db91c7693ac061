"""How often citekit prints exactly what citeproc-js prints, style by style.

    python benchmarks/agreement.py [--items 200] [--styles apa,modern-language-association,...]

The seeded items of benchmarks/items.py are formatted by both engines, as one document
in which item n is cited alone in note n, then as a bibliography; every citation and
entry is compared as text, and the bibliography's order too. citeproc-js is found as
run.py finds it (CITEPROC_JS_DIR, or benchmarks/.node). A developer's tool for finding
differences the CSL test suite does not cover; the tests never depend on it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from items import generate  # noqa: E402
from run import find_citeproc_js  # noqa: E402

STYLES = ("apa", "modern-language-association", "chicago-notes-bibliography", "chicago-author-date", "ieee",
          "harvard-cite-them-right", "american-sociological-association", "nature",
          "american-medical-association", "american-political-science-association")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--show", type=int, default=3, help="differences to print per style")
    args = parser.parse_args(argv)

    import citekit
    from citekit import registry
    from citekit.csl.locale import package_dir

    js_dir, note = find_citeproc_js()
    if js_dir is None:
        print(f"citeproc-js not found: {note}", file=sys.stderr)
        return 2
    items = generate(args.items, seed=args.seed)
    locales = package_dir("citeproc") / "data" / "locales"
    with tempfile.TemporaryDirectory() as tmp:
        items_file = Path(tmp) / "items.json"
        items_file.write_text(json.dumps(items), encoding="utf-8")
        total_same = total = 0
        for style in args.styles.split(","):
            path = registry.locate(style)
            proc = subprocess.run(["node", str(HERE / "agreement_worker.js"), js_dir, str(locales), str(path),
                                   str(items_file)], capture_output=True, text=True, check=True)
            js = json.loads(proc.stdout)
            clusters = [{"citationItems": [{"id": it["id"]}], "properties": {"noteIndex": k + 1}}
                        for k, it in enumerate(items)]
            ours = citekit.render(style, items, clusters, format="text")
            entries = {e.id: e.text.strip() for e in ours.bibliography}
            cite_diffs = [(a, b) for a, b in zip(ours.citations, js["citations"]) if a != b]
            entry_diffs = [(entries.get(i), t) for i, t in zip(js["ids"], js["entries"]) if entries.get(i) != t]
            same_order = [e.id for e in ours.bibliography] == js["ids"]
            n = len(items) + len(js["entries"])
            same = n - len(cite_diffs) - len(entry_diffs)
            total += n
            total_same += same
            print(f"{style:40} citations {len(items) - len(cite_diffs):4}/{len(items)}  "
                  f"entries {len(js['entries']) - len(entry_diffs):4}/{len(js['entries'])}  "
                  f"order {'same' if same_order else 'differs'}")
            for a, b in (cite_diffs + entry_diffs)[:args.show]:
                print(f"    citekit:     {a}\n    citeproc-js: {b}")
        print(f"\n{total_same} of {total} strings identical ({100 * total_same / total:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
