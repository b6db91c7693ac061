"""The CSL test suite through citekit and through citeproc-py, with one harness.

    python benchmarks/conformance.py [--suite DIR] [--json OUT]

Each fixture's style, items and cites go to each engine in a child process (so a
crash or hang in one fixture cannot stop the run); the HTML each prints is compared
with the fixture's expected result exactly as tests/test_conformance.py does.
citeproc-py has no note positions, disambiguation or incremental updates, so fixtures
that need them are scored as they come out.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from csl_suite import fixture_paths, read_fixture, run_fixture, suite_dir  # noqa: E402


class _Entry:
    def __init__(self, id, text):
        self.id, self.text = id, text


class _PyResult:
    """citeproc-py's output in the shape of citekit's Result, for the shared harness."""

    def __init__(self, citations, entries, ids):
        self.citations = citations
        self._entries = entries
        self.bibliography = [_Entry(i, e) for i, e in zip(ids, entries)]

    def bibliography_block(self):
        return '<div class="csl-bib-body">\n' + "".join(f'  <div class="csl-entry">{e}</div>\n'
                                                        for e in self._entries) + "</div>"


def _citeproc_py_render(style, items, clusters, fmt):
    import io

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    st = CitationStylesStyle(io.BytesIO(style.encode("utf-8")), validate=False)
    # citeproc-py needs a type on every item, as CSL-JSON requires
    source = CiteProcJSON([{**it, "type": it.get("type") or "article"} for it in items])
    bib = CitationStylesBibliography(st, source, formatter.html)
    cites = []
    for cluster in clusters or []:
        cite_items = cluster.get("citationItems", []) if isinstance(cluster, dict) else cluster
        citation = Citation([_py_cite(c, CitationItem, Locator) for c in cite_items])
        bib.register(citation)
        cites.append(citation)
    if not clusters:
        for it in items:
            bib.register(Citation([CitationItem(it["id"])]))
    texts = [str(bib.cite(c, lambda item: None)) for c in cites]
    entries = [str(e) for e in bib.bibliography()] if st.root.bibliography is not None else []
    ids = [str(getattr(item, "key", "")) for item in getattr(bib, "items", [])]
    return _PyResult(texts, entries, ids)


def _py_cite(c, CitationItem, Locator):
    """A cite dict in citeproc-py's terms: the locator is a Locator(label, value)."""
    extra = {k: str(c[k]) for k in ("prefix", "suffix") if c.get(k) is not None}
    if c.get("locator") not in (None, ""):
        extra["locator"] = Locator(c.get("label") or "page", str(c["locator"]))
    return CitationItem(str(c["id"]), **extra)


def _citekit_render(style, items, clusters, fmt):
    import citekit
    return citekit.render(style, items, clusters, format=fmt)


def _citekit_document(style, fmt):
    from citekit import registry
    from citekit.csl import Document
    return Document(registry.resolve(style), format=fmt)


ENGINES = {"citekit": _citekit_render, "citeproc-py": _citeproc_py_render}
DOCUMENTS = {"citekit": _citekit_document}  # engines with an incremental document (">>" markers)


def _one(args):
    engine, path = args
    fx = read_fixture(Path(path))
    try:
        got = run_fixture(fx, ENGINES[engine], DOCUMENTS.get(engine))
    except Exception as exc:  # an engine that fails on a fixture simply does not pass it
        return path, f"{type(exc).__name__}: {exc}"[:120]
    return path, True if got.strip() == fx["result"].strip() else False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", help="the CSL test suite folder (default: ../shared/csl-test-suite)")
    parser.add_argument("--json", help="write the counts and failing fixtures here")
    parser.add_argument("--engines", default="citekit,citeproc-py")
    args = parser.parse_args(argv)
    folder = Path(args.suite) if args.suite else suite_dir()
    if folder is None or not folder.is_dir():
        print("CSL test suite not found: give --suite or set CITEKIT_CSL_TEST_SUITE", file=sys.stderr)
        return 2
    paths = [str(p) for p in fixture_paths(folder)]
    report = {}
    for engine in args.engines.split(","):
        start = time.perf_counter()
        with mp.get_context("spawn").Pool(2, maxtasksperchild=200) as pool:
            results = []
            for res in pool.imap_unordered(_one, [(engine, p) for p in paths], chunksize=8):
                results.append(res)
        passed = sorted(Path(p).stem for p, ok in results if ok is True)
        errors = {}
        for _, ok in results:
            if isinstance(ok, str):
                errors[ok] = errors.get(ok, 0) + 1
        report[engine] = {"passed": len(passed), "total": len(paths),
                          "failed": sorted(Path(p).stem for p, ok in results if ok is not True),
                          "errors": errors,
                          "seconds": round(time.perf_counter() - start, 1)}
        print(f"{engine:12} {len(passed):4} of {len(paths)} fixtures pass ({report[engine]['seconds']} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
