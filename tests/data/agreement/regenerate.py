"""The committed citeproc-js outputs of tests/test_agreement.py, and its known differences.

    python tests/data/agreement/regenerate.py            # rewrite citeproc_js.json (needs node and citeproc-js)
    python tests/data/agreement/regenerate.py --prune    # drop known differences that no longer occur
    python tests/data/agreement/regenerate.py --print-new   # print differences not listed, for review

citeproc_js.json holds what citeproc-js prints for the corpus beside this file in the fixed
sample of styles (benchmarks/agreement.py's TEST_STYLES), as text and HTML, with the
hash of each style file and of the corpus, so that the test notices when either changes.
It is made through benchmarks/agreement.py, so CITEPROC_JS_DIR (or benchmarks/.node)
must hold the `citeproc` npm package, and its cache is reused.

tests/agreement_known_differences.txt lists, one per line, `KEY: reason` for each string
where citekit and citeproc-js differ today. --prune removes the lines whose difference
no longer occurs (after an engine fix); it never adds a line. --print-new prints, in the
file's format with a guessed reason, the differences that are not listed: adding them is
a decision for a person, who must give each a true reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import agreement  # noqa: E402

FIXTURE = HERE / "citeproc_js.json"
KNOWN = ROOT / "tests" / "agreement_known_differences.txt"


def style_sha(style_id: str) -> str:
    return hashlib.sha256(agreement.style_path(style_id).read_bytes()).hexdigest()[:12]


def write_fixture() -> None:
    from run import find_citeproc_js

    js_dir, note = find_citeproc_js()
    if js_dir is None:
        raise SystemExit(f"citeproc-js not found: {note}")
    _, _, corpus_hash = agreement.load_corpus()
    outputs = agreement.js_outputs(list(agreement.TEST_STYLES), js_dir, corpus_hash)
    styles = {}
    for sid in agreement.TEST_STYLES:
        out = {k: v for k, v in outputs[sid].items() if k != "ms"}
        # HTML citations equal to the text ones are stored once (null), to keep the file small.
        if "citations_html" in out:
            out["citations_html"] = [None if h == t else h for h, t in zip(out["citations_html"], out["citations_text"])]
        styles[sid] = {"style_sha": style_sha(sid), **out}
    data = {"citeproc_js": agreement.js_version(js_dir), "corpus": corpus_hash, "styles": styles}
    FIXTURE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"written: {FIXTURE.relative_to(ROOT)} ({FIXTURE.stat().st_size // 1024} KiB, {len(styles)} styles)")


def load_fixture() -> dict:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for out in data["styles"].values():
        if "citations_html" in out:
            out["citations_html"] = [t if h is None else h for h, t in zip(out["citations_html"], out["citations_text"])]
    return data


def read_known(path: Path = KNOWN) -> dict[str, str]:
    """KEY → reason, from `KEY: reason` lines (blank lines and # comments skipped)."""
    known = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, reason = line.partition(": ")
        if not sep or not reason.strip() or " " in key:
            raise ValueError(f"{path.name} line {n}: expected 'KEY: reason', got {line!r}")
        if key in known:
            raise ValueError(f"{path.name} line {n}: {key} is listed twice")
        known[key] = reason.strip()
    return known


def style_differences(style_id: str, fixture: dict, items: list, clusters: list) -> dict[str, tuple]:
    """{key: (citekit, citeproc-js)} for every string of one style that differs."""
    ours = agreement.citekit_outputs(agreement.style_path(style_id), items, clusters)
    result = agreement.compare(style_id, ours, fixture["styles"][style_id], [c["citationID"] for c in clusters])
    diffs = dict(result["diffs"])
    if result["error"]:
        diffs[f"{style_id}/error/-/-"] = (result["error"], None)
    for iid in result["blank"]:
        diffs.setdefault(f"{style_id}/blank/-/{iid}", ("whitespace-only entry", None))
    return diffs


def all_differences() -> dict[str, tuple]:
    items, clusters, _ = agreement.load_corpus()
    fixture = load_fixture()
    diffs = {}
    for sid in fixture["styles"]:
        diffs.update(style_differences(sid, fixture, items, clusters))
    return diffs


def prune() -> None:
    diffs = all_differences()
    lines = KNOWN.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, dropped = [], 0
    for line in lines:
        key = line.strip().partition(": ")[0]
        if line.strip() and not line.lstrip().startswith("#") and key not in diffs:
            dropped += 1
            continue
        kept.append(line)
    KNOWN.write_text("".join(kept), encoding="utf-8")
    print(f"{KNOWN.relative_to(ROOT)}: {dropped} lines dropped, {len(kept)} kept")


def reason_for(key: str, a, b) -> str:
    kind = "whitespace-only entry" if "/blank/" in key else agreement.classify(a, b, key.split("/")[0], key.split("/")[1])
    return kind if kind.startswith("citeproc-js defect") else f"open: {kind}"


def print_new() -> None:
    known = read_known()
    for key, (a, b) in sorted(all_differences().items()):
        if key not in known:
            print(f"{key}: {reason_for(key, a, b)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--prune", action="store_true", help="drop known differences that no longer occur")
    group.add_argument("--print-new", action="store_true", help="print differences that are not listed")
    args = parser.parse_args(argv)
    if args.prune:
        prune()
    elif args.print_new:
        print_new()
    else:
        write_fixture()
    return 0


if __name__ == "__main__":
    sys.exit(main())
