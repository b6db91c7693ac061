"""The `citekit` command: argument parsing and printing only; the library does the work.

Exit codes: 0 success, 1 bad input (an unknown style, an invalid item, an unreadable
file), 2 wrong usage. Errors go to stderr in a line or two; `--debug` shows a traceback.
Every command builds its whole output before printing any of it, but `bib --each`, which
streams a catalogue line by line (constant memory; its problems go to stderr as they come).
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import registry
from .errors import CitekitError

PROG = "citekit"
# citekit.csl.FORMATS, written out so that parsing the arguments does not import the engine
# (tests/test_cold_start.py checks that the two agree)
FORMATS = ("text", "html", "markdown", "rtf", "latex")
# The note on a reference the style cannot print (the engine prints it, as citeproc-js does).
_NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"


class InputError(CitekitError):
    """An input that cannot be read, or (with --strict) that has problems; `problems`
    are printed one a line before the message."""

    def __init__(self, message: str, problems: Sequence[str] = ()):
        super().__init__(message)
        self.problems = list(problems)


# --- reading input --------------------------------------------------------------------------

def load_items(source: str, args: argparse.Namespace, *, models: bool = False) -> list[Any]:
    """The references in a file, or in stdin for "-" (its format told from its content),
    read by `citekit.readers.load` like every other door: their CSL-JSON as the models
    write it, or with `models=True` the `Reference`s. Problems go to `args.problems`
    (printed on stderr, exit 1); with --strict, any problem fails the command."""
    from citekit.csl.limits import LIMITS
    from citekit.readers import ReaderError, load

    limit = LIMITS.max_input_size
    too_big = (f"more than {limit:,} bytes, the most the command reads (--max-input-size, "
               "LIMITS.max_input_size)")
    try:
        if source == "-":
            if sys.stdin is None:
                raise InputError("<stdin>: standard input is closed")
            data = getattr(sys.stdin, "buffer", sys.stdin).read(limit + 1)
            if len(data) > limit:
                raise InputError(f"<stdin>: {too_big}")
            result = load(data, name="<stdin>")
        else:
            try:
                size = Path(source).stat().st_size if Path(source).is_file() else 0
            except OSError as exc:  # a name the system refuses (too long)
                raise InputError(f"{source}: cannot read it ({exc.strerror or exc})") from None
            if size > limit:
                raise InputError(f"{source}: {size:,} bytes, {too_big}")
            result = load(path=source)
    except ReaderError as exc:
        raise InputError(str(exc)) from None
    name = result.source or source
    found = [str(p) for p in result.problems]
    if found and getattr(args, "strict", False):
        count = f"{len(found)} problem{'s' if len(found) > 1 else ''}"
        if len(found) == 1:
            raise InputError(f"{found[0]}; --strict prints nothing when a record is bad")
        raise InputError(f"{name}: {count}; --strict prints nothing when a record is bad", found)
    args.problems.extend(found)
    if not result.items:
        if found:
            raise InputError(f"{name}: no item could be read", args.problems)
        raise InputError(f"{name}: no items in it")
    # the models are built only when asked for: formatting needs their CSL-JSON only
    return list(result.references) if models else result._csl_items()


_BRIEF_FLAGS = ("title", "author", "date", "publisher", "url", "kind", "accessed", "updated")


def _brief_from_flags(args: argparse.Namespace) -> Any:
    from .models import Brief

    fields = {("authors" if flag == "author" else flag): getattr(args, flag) for flag in _BRIEF_FLAGS}
    return Brief.from_data({k: v for k, v in fields.items() if v is not None})


# --- commands ----------------------------------------------------------------------------------

def _report_unprintable(texts: list[tuple[Any, str]], style: Any, args: argparse.Namespace) -> None:
    for item_id, text in texts:
        if _NO_PRINTED_FORM in text or not text.strip():
            args.problems.append(f"item {item_id!r}: has no printed form in {style.info.id or 'this style'} "
                                 "(the style prints nothing for an item like it)")


def _note_redirect(args: argparse.Namespace) -> None:
    note = registry.default_registry().redirect_note(args.style)
    if note:
        args.notes.append(note)


def cmd_cite(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from . import api

    flags_given = any(getattr(args, f) for f in _BRIEF_FLAGS)
    if args.file and flags_given:
        parser.error("give either FILE or the --title/--author/... flags of a one-off brief, not both")
    if not args.file and not flags_given:
        parser.error("give a FILE (or - for stdin), or --title and the other flags of a one-off brief")
    if flags_given and not args.title:
        parser.error("a one-off brief needs --title")
    items = [_brief_from_flags(args).to_csl()] if flags_given else load_items(args.file, args)
    _control_notes(items, args.notes)
    style = registry.resolve(args.style)  # once, before any item: an unknown style fails first
    _note_redirect(args)
    api.check_locale(style, args.locale)
    lines = []
    for data in items:
        if not data.get("id"):
            data["id"] = "item-1"
        text, warnings = api.format_one(style, data, citation={} if args.citation else None,
                                        locale=args.locale, format=args.format)
        lines.append(text)
        args.notes.extend(w for w in warnings if w not in args.notes)
        _report_unprintable([(data["id"], text)], style, args)
    return "\n".join(lines) + "\n"


def cmd_bib(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from citekit.csl import process

    from . import api

    if args.each is not None:
        if args.file:
            parser.error("give either FILE (one bibliography) or --each FILE (one entry per line), not both")
        return _bib_each(args, parser)
    if args.jobs is not None:
        parser.error("--jobs goes with --each")
    if not args.file:
        parser.error("give a FILE (or - for stdin), or --each FILE for one entry per line")
    items = load_items(args.file, args)
    _control_notes(items, args.notes)
    style = registry.resolve(args.style)
    _note_redirect(args)
    if style.bibliography is None:
        raise CitekitError(f"{style.info.id or args.style} has no bibliography (it is a {style.info.style_class or 'note'} "
                           f"style without one); `citekit cite --citation` prints its citations")
    api.check_locale(style, args.locale)
    # the items went through the door (load_items): what render() does with them after it
    result = process(style, items, None, locale=args.locale, format=args.format)
    args.notes.extend(result.warnings)
    printed = {e.id for e in result.bibliography}
    _report_unprintable([(e.id, e.text) for e in result.bibliography]
                        + [(i["id"], "") for i in items if str(i["id"]) not in printed], style, args)
    block = result.bibliography_block()
    if args.format == "rtf":
        return _rtf_document(block)
    return block if block.endswith("\n") else block + "\n"


def _check_styles(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """--style may be given several times only with bib --each (one string per style in
    each record); `args.style` is the one style of the other commands."""
    args.style_list = args.style_list or ["apa"]
    if len(args.style_list) > 1 and getattr(args, "each", None) is None:
        parser.error("several --style go with `citekit bib --each` only (one string per style in each record)")
    if getattr(args, "each", None) is not None:
        for taken in ("id", "problems"):
            if taken in args.style_list:
                parser.error(f"{taken!r} cannot name a style with --each: it is a key of the records")
    args.style = args.style_list[0]


# --- bib --each: a catalogue in JSON Lines, streamed ---------------------------------------------

_MAX_NOTES = 100  # distinct engine warnings kept for the end of a long run; the rest are counted


def _each_records(found: Any) -> Any:
    """The readers' problems and records (`citekit.readers._read_records`) as records for
    `each._stream`: (line, (record, the problems of its line, its index)) for each record,
    and (line, (None, problems, 0)) for the problems of a line with no record (one that
    could not be read, a line not UTF-8, an undefined @string)."""
    from citekit.readers import Problem

    pending: list[Any] = []
    index = 0

    def loose(problems: list[Any]) -> Any:
        by_line: dict[Any, list[Any]] = {}
        for problem in problems:
            by_line.setdefault(problem.line, []).append(problem)
        for line, same in by_line.items():
            yield (line or 0), (None, same, 0)

    for one in found:
        if isinstance(one, Problem):
            pending.append(one)
            continue
        record, line = one
        own: list[Any] = []
        if pending:
            yield from loose([p for p in pending if p.line != line or line is None])
            own = [p for p in pending if p.line == line and line is not None]
            pending = []
        index += 1
        yield (line or 0), (record, own, index)
    yield from loose(pending)


def _bib_each(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    import contextlib
    import dataclasses

    from tqdm import tqdm

    from citekit.csl.limits import LIMITS
    from citekit.readers import Limits, ReaderError, _Door, _read_records

    from .each import _job_count, _prepare, _stream

    styles = _prepare(args.style_list, args.format, args.locale)  # an unknown style fails before any item
    for key, parsed, _ in styles:
        if parsed.bibliography is None:
            raise CitekitError(f"{key} has no bibliography (it is a {parsed.info.style_class or 'note'} style "
                               "without one); `citekit cite --citation` prints its citations")
    for style in args.style_list:
        note = registry.default_registry().redirect_note(style) if isinstance(style, str) else None
        if note:
            args.notes.append(note)
    try:
        jobs = _job_count(1 if args.jobs is None else args.jobs)
    except ValueError as exc:
        parser.error(f"--jobs: {exc}")
    # a line (and an input read whole, CSL-YAML) is bounded as the command's whole input is
    limits = Limits(line_bytes=LIMITS.max_input_size, whole_bytes=LIMITS.max_input_size)
    if args.each == "-":
        if sys.stdin is None:
            raise InputError("<stdin>: standard input is closed")
        name, handle = "<stdin>", getattr(sys.stdin, "buffer", None)
        if handle is None:  # a text stream without bytes under it
            handle = _TextAsBytes(sys.stdin)
        found = _read_records(handle, name=name, limits=limits)
    else:
        name = args.each
        found = _read_records(path=args.each, limits=limits)
    # the reading is iter_load's, its door in two halves: the records are checked and formatted in
    # the worker processes, their ids made unique here, in order
    door = _Door(name, limits.stream_ids)

    bar = tqdm(unit=" records", file=sys.stderr, mininterval=0.5, dynamic_ncols=True,
               disable=not _is_terminal(sys.stderr))

    def say(text: str) -> None:
        if bar.disable:
            _write(sys.stderr, f"{PROG}: {text}\n")
        else:
            bar.write(_terminal_safe(f"{PROG}: {text}"), file=sys.stderr)

    counts = {"read": 0, "bad": 0, "written": 0, "other": 0}
    notes: dict[str, None] = {}
    more_notes = 0
    out, pending = sys.stdout, []

    def flush() -> bool:
        """Write what is pending; False when the reader went away (`| head`)."""
        if not pending:
            return True
        text = "".join(pending)
        pending.clear()
        if out is None:
            raise InputError("cannot write the output: standard output is closed")
        try:
            out.write(_terminal_safe(text))
            out.flush()
        except BrokenPipeError:
            _silence(out)
            return False
        except (OSError, ValueError) as exc:
            _silence(out)
            raise InputError(f"cannot write the output: {getattr(exc, 'strerror', None) or exc}") from None
        return True

    stream = _stream(_each_records(found), styles, args.format, args.locale, jobs=jobs, source=name, checked=True)
    try:
        with contextlib.closing(stream), bar:
            for entry, ids in stream:
                if ids is not None:
                    door.position = ids[2]
                    settled: list[Any] = []
                    entry = dataclasses.replace(entry, id=door.settle(entry.id, ids[:2], entry.position or None,
                                                                      settled),
                                                problems=entry.problems + tuple(settled))
                problems = [str(p) for p in entry.problems]
                # a record: an item, or one that could not be read; else a problem of the file (a line not
                # UTF-8, an undefined @string) that is reported, not counted as a record
                record = ids is not None or any(p.skipped for p in entry.problems)
                if record:
                    counts["read"] += 1
                    bar.update()
                for key, text in entry.texts.items():
                    if _NO_PRINTED_FORM in text or not text.strip():
                        problems.append(f"{name}:{entry.position}: {entry.id}: has no printed form in {key} "
                                        "(the style prints nothing for an item like it)")
                for warning in entry.warnings:
                    if warning not in notes:
                        if len(notes) < _MAX_NOTES:
                            notes[warning] = None
                        else:
                            more_notes += 1
                if entry.texts:
                    pending.append(json.dumps({"id": entry.id, **entry.texts}, ensure_ascii=False) + "\n")
                    counts["written"] += 1
                if problems:
                    counts["bad" if record else "other"] += 1
                    if args.strict:
                        flush()
                        for problem in problems:
                            say(problem)
                        raise InputError(f"{name}:{entry.position}: --strict stops at the first bad record")
                    if not flush():  # the lines before the problem first, so that both streams read in order
                        break
                    for problem in problems:
                        say(problem)
                elif len(pending) >= 256 and not flush():
                    break
            else:
                flush()
    except ReaderError as exc:  # no such file, a format that cannot be told, a stream too big to read whole
        flush()
        raise InputError(str(exc)) from None
    args.notes.extend(notes)
    if more_notes:
        args.notes.append(f"and {more_notes} more distinct warnings")
    if counts["bad"] or counts["other"]:
        other = counts["other"]
        args.problems.append(f"{counts['bad']} of {counts['read']} records had problems"
                             + (f", and {other} other problem{'s' if other > 1 else ''}" if other else "")
                             + f" (reported above); {counts['written']} written")
    return ""


class _TextAsBytes:
    """A text stream (stdin replaced by a text-only object) read as bytes."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.name = getattr(stream, "name", None)

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size).encode("utf-8", "surrogateescape")

    def readline(self, size: int = -1) -> bytes:
        return self.stream.readline(size).encode("utf-8", "surrogateescape")

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


def _is_terminal(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def _entry_line(entry: registry.StyleEntry, width: int) -> str:
    parent = f"  (dependent on {entry.parent})" if entry.parent else ""
    return f"{entry.id:<{width}}  {entry.style_class or '-':<7}  {entry.title}{parent}"


def cmd_styles(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    reg = registry.default_registry()
    if args.show:
        entry = reg.lookup(args.show)
        rows = [
            ("id", entry.id), ("title", entry.title), ("short title", entry.title_short),
            ("class", entry.style_class), ("format", entry.citation_format),
            ("parent", entry.parent or ""), ("locale", entry.default_locale),
            ("fields", ", ".join(entry.fields)), ("aliases", ", ".join(reg.aliases_of(entry.id))),
            ("url", entry.url), ("file", str(reg.locate(args.show))),
        ]
        return "".join(f"{k + ':':<13}{v}\n" for k, v in rows if v)
    if args.aliases:
        index = reg.index()
        width = max(map(len, reg.aliases))
        return "".join(f"{alias:<{width}}  {target:<40}  {index[target].title if target in index else '?'}\n"
                       for alias, target in sorted(reg.aliases.items()))
    query = " ".join(args.query or [])
    hits = reg.search(query)
    if not hits:
        raise CitekitError(f"no style matches {query!r}; try a shorter query, or `citekit styles` for all")
    width = min(max(len(e.id) for e in hits), 48)
    return "".join(_entry_line(e, width) + "\n" for e in hits)


def _rng_path() -> Path:
    from citekit.csl.locale import package_dir

    path = package_dir("citeproc") / "data" / "schema" / "schemas" / "styles" / "csl.rng"
    if not path.is_file():
        raise CitekitError("the CSL schema (csl.rng) is missing from the installed citeproc-py")
    return path


def validate_style(path: Path, rng: Any) -> list[str]:
    """Problems of one style file against the CSL schema, as "file:line: message"."""
    from lxml import etree

    parser = registry.safe_xml_parser()
    try:
        doc = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        return [f"{path}:{exc.lineno}: not well-formed XML: {exc.msg}"]
    if doc.docinfo.internalDTD is not None or doc.docinfo.doctype:
        return [f"{path}:1: a DOCTYPE is not allowed in a CSL style"]
    if rng.validate(doc):
        return []
    vocabulary = _schema_vocabulary(str(_rng_path()))
    explained: dict[str, None] = {}
    raw: dict[str, None] = {}
    for e in rng.error_log:
        said = _explain(doc, e.line, vocabulary)
        for text in said:
            explained.setdefault(f"{path}:{text}")
        if not said:
            raw.setdefault(f"{path}:{e.line}: {e.message}")
    # libxml2's "failed to validate" lines only repeat, for each parent, what is explained above
    generic = ("failed to validate", "Invalid sequence in interleave")
    return [*explained, *(r for r in raw if not (explained and any(g in r for g in generic)))]


_RNG = "{http://relaxng.org/ns/structure/1.0}"


@functools.lru_cache(maxsize=2)
def _schema_vocabulary(rng_file: str) -> tuple[frozenset, dict[str, frozenset], frozenset]:
    """From the CSL schema: element names, the values each attribute may take (empty when
    any text is allowed), and the attributes that take free text."""
    from lxml import etree

    root = etree.parse(rng_file, registry.safe_xml_parser()).getroot()
    defines: dict[str, list] = {}
    for d in root.iter(f"{_RNG}define"):
        defines.setdefault(d.get("name"), []).append(d)

    def walk(node, seen: set, values: set) -> bool:  # True when free text is allowed
        free = False
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "value":
                values.add((child.text or "").strip())
            elif tag in ("data", "text"):
                free = True
            elif tag == "ref" and child.get("name") not in seen:
                seen.add(child.get("name"))
                for d in defines.get(child.get("name"), ()):
                    free = walk(d, seen, values) or free
            elif tag not in ("documentation", "name", "element", "attribute"):
                free = walk(child, seen, values) or free
        return free

    elements = frozenset((n.text or "").strip() for el in root.iter(f"{_RNG}element") for n in el.findall(f"{_RNG}name"))
    allowed: dict[str, set] = {}
    free_text: set = set()
    for attr in root.iter(f"{_RNG}attribute"):
        name_el = attr.find(f"{_RNG}name")
        if name_el is None or not name_el.text:
            continue
        name = name_el.text.strip()
        values: set = set()
        if walk(attr, set(), values) or not values and not len(attr.findall(f"{_RNG}*")) > 1:
            free_text.add(name)
        allowed.setdefault(name, set()).update(values)
    return elements, {k: frozenset(v) for k, v in allowed.items()}, frozenset(free_text)


def _explain(doc: Any, line: int, vocabulary: tuple) -> list[str]:
    """libxml2's RelaxNG message in words: which element, attribute and value, and what is allowed."""
    import difflib

    from lxml import etree

    elements, allowed, free_text = vocabulary
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.sourceline != line:
            continue
        tag = etree.QName(el).localname
        if tag not in elements:
            close = difflib.get_close_matches(tag, sorted(elements), n=1)
            hint = f"; did you mean <{close[0]}>?" if close else ""
            found.append(f"{line}: <{tag}> is not a CSL element{hint}")
            continue
        for key, value in el.attrib.items():
            name = etree.QName(key).localname
            if key.startswith("{http://www.w3.org/XML/1998/namespace}"):
                continue
            if name not in allowed:
                close = difflib.get_close_matches(name, sorted(allowed), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                found.append(f"{line}: <{tag}>: {name!r} is not a CSL attribute{hint}")
                continue
            values = allowed[name]
            if not values or name in free_text:
                continue
            bad = [v for v in value.split() if v not in values] if value.strip() else [value]
            for v in bad:
                close = difflib.get_close_matches(v, sorted(values), n=3)
                listed = ", ".join(close) if close else ", ".join(sorted(values)[:12]) + (" ..." if len(values) > 12 else "")
                found.append(f"{line}: <{tag} {name}=\"{value}\">: {v!r} is not allowed for {name}; "
                             f"{'did you mean' if close else 'allowed:'} {listed}{'?' if close else ''}")
    return found


def style_cost_warnings(path: Path) -> tuple[list[str], list[str]]:
    """(problems, warnings) of a schema-valid style as citekit's engine sees it: a style it
    refuses (macros calling themselves, nesting too deep, over a size limit) is a problem;
    macros that expand exponentially are a warning (rendering may stop at the work budget)."""
    from citekit.csl import StyleError, parse_style
    from citekit.csl.style import EXPONENTIAL_RATIO

    reg = registry.default_registry()
    try:
        registry.check_style_size(path)
        style = parse_style(path.read_bytes(), source=str(path), parent_loader=reg.load_parent)
    except StyleError as exc:
        return [f"{path}: citekit cannot use this style: {exc}"], []
    except OSError as exc:
        return [f"{path}: cannot read it ({exc})"], []
    warnings = []
    elements = style.element_count()
    for context in ("citation", "bibliography"):
        expanded = style.expanded_size(context)
        if expanded > EXPONENTIAL_RATIO * elements:
            size = f"{expanded:,}" if expanded < 10 ** 12 else f"about 10^{int(expanded.bit_length() * 0.30103)}"
            warnings.append(f"{path}: the {context}'s macros expand exponentially ({size} elements once every "
                            f"macro call is inlined, from {elements:,}); rendering may stop at the work budget "
                            f"of {style.work_budget():,} elements per entry (see docs/limits.md)")
    return [], warnings


def cmd_validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from lxml import etree

    rng = etree.RelaxNG(etree.parse(str(_rng_path())))
    reg = registry.default_registry()
    report, bad = [], 0
    for name in args.styles:
        path = reg.locate(name)
        problems = validate_style(path, rng)
        if not problems:
            problems, warnings = style_cost_warnings(path)
            args.notes.extend(warnings)
        bad += bool(problems)
        report.extend(problems or [f"{path}: valid CSL"])
    text = "\n".join(report) + "\n"
    if bad:
        raise _ReportFailure(text, f"{bad} of {len(args.styles)} style{'s' if len(args.styles) > 1 else ''} "
                                   "failed validation against the CSL schema")
    return text


def cmd_panel(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from . import panel

    styles = [s.strip() for s in args.styles.split(",") if s.strip()]
    if not styles:
        parser.error("--styles needs at least one style, e.g. --styles mla,apa,chicago")
    repeated = sorted({s for s in styles if styles.count(s) > 1})
    if repeated:
        parser.error(f"--styles names {', '.join(repeated)} more than once")
    if args.default and args.default not in styles:
        parser.error(f"--default {args.default} is not one of --styles ({', '.join(styles)})")
    items = load_items(args.file, args, models=True)
    _control_notes(items, args.notes)
    for style in styles:
        registry.resolve(style)  # an unknown style fails here, before anything is rendered
    options = {"default": args.default, "locale": args.locale}
    if args.page:
        return panel.panel_page(items if len(items) > 1 else items[0], styles, csp=args.csp, **options) + "\n"
    # The panel's CSS and script are emitted once, with the first panel.
    return "".join(panel.panel(item, styles, assets=i == 0, **options) + "\n" for i, item in enumerate(items))


def cmd_render(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from citekit.documents import render_markdown
    from citekit.readers import ReaderError

    if args.file == "-":
        text, base = sys.stdin.read(), Path.cwd()
    else:
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{args.file}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{args.file}: cannot read it ({exc})") from None
        base = path.parent
    # --bibliography files are relative to the working directory, front-matter ones to the document
    references = [str(Path(b).resolve()) for b in args.bibliography] if args.bibliography else None
    try:
        doc = render_markdown(text, references, style=args.csl, locale=args.locale, to=args.to,
                              base_dir=base, link_citations=True if args.link_citations else None)
    except ReaderError as exc:
        raise InputError(str(exc)) from None
    except ValueError as exc:  # bad front matter
        raise InputError(f"{args.file if args.file != '-' else '<stdin>'}: {exc}") from None
    except ImportError as exc:
        raise CitekitError(f"-t html needs the Markdown package: pip install 'citekit[markdown]' ({exc})") from None
    args.notes.extend(doc.warnings)
    if args.output and args.output != "-":
        try:
            Path(args.output).write_text(doc.text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.output}: cannot write it ({exc.strerror or exc})") from None
        return ""
    return doc.text


def cmd_schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from .models import json_schema

    return json.dumps(json_schema(args.model), indent=2, ensure_ascii=False) + "\n"


class _ReportFailure(CitekitError):
    """A command whose report (stdout) is printed although the command failed (exit 1)."""

    def __init__(self, report: str, message: str):
        self.report = report
        super().__init__(message)


# --- the parser ----------------------------------------------------------------------------------

def _epilog(*examples: str) -> str:
    return "examples:\n" + "\n".join(f"  {e}" for e in examples)


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=fmt,
        description="Format references in any official CSL style (10,800 styles, or your own .csl).",
        epilog=_epilog(
            "citekit cite examples/brief.json --style mla",
            "citekit bib refs.json --style apa --format html > bibliography.html",
            "citekit styles chicago",
            "citekit render paper.md --bibliography refs.bib --csl apa",
        ),
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show program's version number and exit")
    parser.add_argument("--debug", action="store_true", help="show a traceback when something fails")
    parser.add_argument("--max-input-size", type=_byte_count, metavar="BYTES",
                        help="the largest input file read, e.g. 500M (default: 200M); see docs/limits.md")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --debug is accepted after the command too; SUPPRESS keeps it from resetting the global one.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show a traceback when something fails")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--style", "-s", dest="style_list", action="append", metavar="STYLE",
                        help="a style alias (mla, apa, chicago, ...), official id or title, or a .csl file "
                             "(default: apa); bib --each takes several")
    output.add_argument("--format", "-f", default="text", choices=FORMATS, help="output format (default: text)")
    output.add_argument("--locale", "-l", help="a locale such as en-GB or de-DE (default: the style's); an unknown "
                        "one is an error that names the closest (german: de-DE)")
    output.add_argument("--strict", action="store_true",
                        help="print nothing and exit 1 when the input has any problem, whatever its format "
                             "(bib --each: stop at the first bad record) (default: format the good records, report "
                             "every problem on stderr, exit 1)")
    output.add_argument("--quiet", "-q", action="store_true",
                        help="do not print the style's warnings (missing terms, unknown variables ...) on stderr; "
                             "problems of the input are always reported")

    p = sub.add_parser(
        "cite", parents=[common, output], formatter_class=fmt,
        help="format one reference per item (a brief, CSL-JSON, .bib, .ris or a saved page)",
        description="Format one full reference per item, or with --citation the in-text citation "
                    "(first note for note styles). FILE holds CSL-JSON (one object, a list or {\"items\": [...]}) "
                    "or a brief in JSON or YAML, BibTeX/BibLaTeX (.bib), RIS (.ris), CSL-YAML, or a saved web "
                    "page (.html, read from its metadata); - reads any of these from stdin. Every problem of the "
                    "input is reported on stderr (file:line: id: field: what was done) and the exit status is 1; "
                    "the good records are still printed. Without FILE, the --title/--author/... flags make a "
                    "one-off brief.",
        epilog=_epilog(
            "citekit cite examples/brief.json --style mla",
            "citekit cite refs.json --style chicago --citation",
            'citekit cite --title "Dim Prospects for Six-Party Deal" --author "Carin Zissis" \\\n'
            '      --date 2006-12-19 --publisher "Council on Foreign Relations" --kind "Analysis Brief" \\\n'
            "      --url http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242 --style apa",
            "cat item.json | citekit cite - --format html",
        ),
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="input file, or - for stdin")
    p.add_argument("--citation", "-c", action="store_true", help="print the in-text citation (or first note) instead")
    brief = p.add_argument_group("a one-off brief (instead of FILE)")
    brief.add_argument("--title")
    brief.add_argument("--author", action="append", help="repeat for several authors: 'Carin Zissis' or 'Zissis, Carin'")
    brief.add_argument("--date", help="publication date, ISO 8601 / EDTF: 2006-12-19, 2006-12, 2006")
    brief.add_argument("--publisher", help="the site or organisation that publishes the page")
    brief.add_argument("--url")
    brief.add_argument("--kind", help="the page's own label, e.g. 'Analysis Brief'")
    brief.add_argument("--accessed", help="date you read it")
    brief.add_argument("--updated", help="date it was last updated")
    p.set_defaults(func=cmd_cite)

    p = sub.add_parser(
        "bib", parents=[common, output], formatter_class=fmt,
        help="format a sorted, disambiguated bibliography, or with --each a catalogue (JSON Lines out)",
        description="Format all the items of FILE as one bibliography, sorted and disambiguated by the "
                    "style. HTML output is a complete csl-bib-body block, RTF a complete .rtf document. "
                    "Problems of the input are reported as for cite; a style without a bibliography is an error.\n\n"
                    "With --each, a catalogue: any file the readers read (BibTeX, RIS, a CSL-JSON array, JSON Lines "
                    "with one item per line; CSL-YAML read whole), its format told from its name or content, "
                    "and JSON Lines out, one standalone entry per item as it is formatted ({\"id\": ..., \"apa\": ..., \"mla\": ...}: "
                    "one string per --style, in --format), in the input's order. The entries are not sorted "
                    "and not disambiguated against one another; memory stays the same whatever the size of the "
                    "input, and --jobs formats on several cores. A bad record is reported on stderr "
                    "(FILE:LINE: id: field: what is wrong), the others are still written, and the exit status "
                    "is 1; --strict stops at the first bad record. A progress bar is shown on stderr when it is "
                    "a terminal. See docs/catalogue.md.",
        epilog=_epilog("citekit bib refs.json --style apa", "citekit bib refs.yaml --style ieee --format html",
                       "citekit bib library.bib --style mla --strict",
                       "cat refs.bib | citekit bib - --style chicago -q",
                       "citekit bib --each catalogue.jsonl --style apa --style mla --jobs 0 > out.jsonl",
                       "citekit bib --each library.bib --style apa --jobs 2 > out.jsonl"),
    )
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="CSL-JSON, CSL-YAML, briefs, .bib, .ris or .html (or - for stdin)")
    p.add_argument("--each", metavar="FILE",
                   help="format each item of FILE (- for stdin: .bib, .ris, CSL-JSON, JSON Lines ...) on its own, "
                        "streamed, writing JSON Lines")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="with --each: worker processes (default: 1; 0: one per core)")
    p.set_defaults(func=cmd_bib)

    p = sub.add_parser(
        "panel", parents=[common], formatter_class=fmt,
        help="an HTML Cite panel for a page (see docs/embedding.md)",
        description="Print the Cite panel for each item of FILE: an HTML fragment with the reference in "
                    "several styles and a Copy button, or with --page a complete page to open in a browser.",
        epilog=_epilog("citekit panel examples/brief.json --styles mla,apa,chicago > panel.html",
                       "citekit panel examples/brief.json --page > demo.html"),
    )
    p.add_argument("file", metavar="FILE", help="a brief or CSL-JSON (or - for stdin)")
    p.add_argument("--styles", default="mla,apa,chicago", help="comma-separated styles (default: mla,apa,chicago)")
    p.add_argument("--default", metavar="STYLE", help="the style shown first (default: the first of --styles)")
    p.add_argument("--locale", "-l", help="a locale such as en-GB (default: each style's)")
    p.add_argument("--page", action="store_true", help="a complete HTML page around the panel")
    p.add_argument("--csp", action="store_true", help="with --page: a strict Content-Security-Policy and a nonce")
    p.set_defaults(func=cmd_panel)

    p = sub.add_parser(
        "render", parents=[common], formatter_class=fmt,
        help="resolve [@key] citations in a Markdown document (pandoc's syntax; see docs/documents.md)",
        description="Resolve pandoc-style citations ([@key], [see @a, p. 3; @b], [-@key], @key [p. 3]) in a "
                    "Markdown document, as `pandoc --citeproc` does: citations are formatted in the style, "
                    "note styles make footnotes, and the bibliography goes in the ::: {#refs} div or at the "
                    "end. The YAML front matter may give bibliography, references, csl, lang, nocite, "
                    "link-citations, link-bibliography, reference-section-title, suppress-bibliography "
                    "and notes-after-punctuation; the flags win over it. A key not in the references is shown "
                    "as **key?** and reported on stderr. The output is Markdown (footnotes as [^n], the "
                    "bibliography as a ::: {#refs} div) unless -t says otherwise.",
        epilog=_epilog("citekit render paper.md --bibliography refs.bib --csl apa -o paper.out.md",
                       "citekit render paper.md --bibliography refs.bib --csl chicago -t html > paper.html",
                       "cat paper.md | citekit render - --bibliography refs.json --style ieee"),
    )
    p.add_argument("file", metavar="DOC", help="a Markdown file, or - for stdin")
    p.add_argument("--bibliography", action="append", metavar="FILE",
                   help="references: CSL-JSON, CSL-YAML, .bib or .ris (repeat for several files; default: the "
                        "front matter's bibliography)")
    p.add_argument("--csl", "--style", "-s", dest="csl", metavar="STYLE",
                   help="a style alias, official id or .csl file (default: the front matter's csl, else "
                        "chicago-author-date as in pandoc)")
    p.add_argument("--locale", "-l", metavar="LANG", help="a locale such as en-GB (default: the front matter's lang, "
                                                          "else the style's)")
    p.add_argument("-t", "--to", default="markdown", choices=("markdown", "html", "plain"),
                   help="markdown (default), html (needs the markdown extra) or plain text")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    p.add_argument("--link-citations", action="store_true", help="link each citation to its bibliography entry")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser(
        "styles", parents=[common], formatter_class=fmt,
        help="search the installed styles",
        description="List the styles whose id or title contains every word of QUERY (all styles "
                    "without one): id, class (in-text or note), title, and the parent of a dependent style.",
        epilog=_epilog("citekit styles chicago", "citekit styles 'author date' | head",
                       "citekit styles --show mla", "citekit styles --aliases"),
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help="words to find (quotes not needed)")
    p.add_argument("--show", metavar="NAME", help="everything known of one style")
    p.add_argument("--aliases", action="store_true", help="list the short names (mla, apa, ...)")
    p.set_defaults(func=cmd_styles)

    p = sub.add_parser(
        "validate", parents=[common], formatter_class=fmt,
        help="check .csl files against the CSL schema",
        description="Validate styles against the CSL 1.0.2 RelaxNG schema, then check that citekit can use "
                    "them (no macro that calls itself, nesting and size within limits); each problem is printed as "
                    "FILE:LINE: message, in words (the element, the attribute, the value, and what is allowed "
                    "or the closest name), and the exit code is 1 when any style is invalid. A style whose "
                    "macros expand exponentially gets a warning: rendering it may stop at the work budget "
                    "(docs/limits.md).",
        epilog=_epilog("citekit validate my-style.csl", "citekit validate apa mla"),
    )
    p.add_argument("styles", nargs="+", metavar="STYLE", help="a .csl file or a style name")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "schema", parents=[common], formatter_class=fmt,
        help="print the JSON Schema of the models",
        description="Print the JSON Schema of a model: reference (a CSL-JSON item), brief, name or date.",
        epilog=_epilog("citekit schema", "citekit schema brief > brief.schema.json"),
    )
    p.add_argument("model", nargs="?", default="reference", choices=("reference", "brief", "name", "date"))
    p.set_defaults(func=cmd_schema)
    return parser


def _byte_count(text: str) -> int:
    units = {"": 1, "K": 1000, "M": 1000 ** 2, "G": 1000 ** 3}
    t = text.strip().upper().removesuffix("B")
    unit = t[-1:] if t[-1:] in ("K", "M", "G") else ""
    number = t[:-1] if unit else t
    if not number.isdecimal() or len(number) > 15:
        raise argparse.ArgumentTypeError(f"expected a size such as 500000, 200K, 50M or 1G, got {text!r}")
    return int(number) * units[unit]


def _version() -> str:
    from . import __version__

    return __version__


class _VersionAction(argparse.Action):
    """argparse's "version" action, with the version read only when asked for
    (importlib.metadata costs tens of milliseconds at every start otherwise)."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser._print_message(f"{parser.prog} {_version()}\n", sys.stdout)
        parser.exit()


def _terminal_safe(text: str) -> str:
    """What the command prints: no control characters but tab and newline (escape
    sequences could clear a screen, write a clipboard, fake a link), no lone surrogate."""
    from citekit.csl.limits import has_controls, strip_controls

    if has_controls(text):
        text = strip_controls(text)
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _write(stream: Any, text: str) -> bool:
    """Write and flush; False when the stream is closed or the write fails (a full disk)."""
    if stream is None:  # started with the descriptor closed (`citekit ... >&-`)
        return False
    try:
        stream.write(_terminal_safe(text))
        stream.flush()
    except BrokenPipeError:  # `citekit styles | head`: the reader left, which is fine
        _silence(stream)
    except (OSError, ValueError) as exc:  # ENOSPC (/dev/full), EBADF; ValueError: a closed file
        _silence(stream)
        if stream is not sys.stderr:
            _write(sys.stderr, f"{PROG}: cannot write the output: {getattr(exc, 'strerror', None) or exc}\n")
        return False
    return True


def _silence(stream: Any) -> None:
    """Point a failed stream at /dev/null, so that Python's own flush at exit does not
    print a traceback of its own."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _control_notes(items: list[Any], notes: list[str]) -> None:
    """A warning for each item whose fields hold control characters (removed from the output)."""
    from citekit.csl.limits import has_controls

    for position, item in enumerate(items, 1):
        data = item.to_csl() if hasattr(item, "to_csl") else item
        found, todo = [], [("", data)]
        while todo:
            path, value = todo.pop()
            if isinstance(value, str):
                if has_controls(value) or _has_surrogates(value):
                    found.append(path)
            elif isinstance(value, dict):
                todo.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
            elif isinstance(value, list):
                todo.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        if found:
            ident = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else position
            notes.append(f"item {ident!r}: control characters (or lone surrogates) removed from "
                         f"{', '.join(sorted(found)[:5])}"
                         + (" and more" if len(found) > 5 else ""))


def _engine_errors() -> tuple[type, ...]:
    """The engine's StyleError, once the engine is imported (no StyleError exists before):
    `--version`, `--help` and `styles` do not import the engine."""
    errors = sys.modules.get("citekit.csl.errors")
    return (errors.StyleError,) if errors is not None else ()


def _print_traceback() -> None:
    import traceback  # only with --debug: its imports are a start-up cost otherwise

    traceback.print_exc()


def _rtf_document(block: str) -> str:
    # A complete .rtf file: the header word processors need around the entries.
    return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n" + block.rstrip("\n") + "\n}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """The command. Without `argv` it is the process itself (the `citekit` script, `python
    -m citekit`), which ends when it returns: the garbage collector is then tuned for a
    short run. A caller that passes `argv` runs it in its own process, untouched."""
    if argv is None:
        # A command builds long-lived objects (modules, the style) and little garbage: what
        # exists when it starts (the interpreter, this module) is kept out of the
        # collector's passes, up to the last one at exit, and the youngest generation is
        # collected every 100,000 allocations, not 700 (5% of the cold start's
        # instructions, docs/benchmarks.md).
        gc.freeze()
        gc.set_threshold(100_000, *gc.get_threshold()[1:])
    return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    if hasattr(args, "style_list"):  # the commands that format (validate's STYLE... is its own)
        _check_styles(args, parser)
    args.notes = []  # the engine's warnings: shown on stderr unless --quiet
    args.problems = []  # problems of the input: reported, and the exit status is 1
    if getattr(args, "max_input_size", None) is not None:
        from citekit.csl.limits import LIMITS

        LIMITS.max_input_size = args.max_input_size
    try:
        output = args.func(args, parser)
    except (CitekitError, *_engine_errors()) as exc:
        if args.debug:
            _print_traceback()
        if isinstance(exc, _ReportFailure):
            _write(sys.stdout, exc.report)
        listed = getattr(exc, "problems", None)
        if isinstance(listed, list) and listed and all(isinstance(p, str) for p in listed):
            _write(sys.stderr, "".join(f"{PROG}: {p}\n" for p in listed))
        _write(sys.stderr, f"{PROG}: {exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so briefly, the traceback is one flag away
        if args.debug:
            _print_traceback()
        else:
            _write(sys.stderr, f"{PROG}: internal error: {type(exc).__name__}: {exc}\n"
                               f"{PROG}: run again with --debug for the traceback\n")
        return 1
    if not _write(sys.stdout, output):
        if sys.stdout is None:
            _write(sys.stderr, f"{PROG}: cannot write the output: standard output is closed\n")
        return 1
    if args.notes and not getattr(args, "quiet", False):
        _write(sys.stderr, "".join(f"{PROG}: warning: {note}\n" for note in dict.fromkeys(args.notes)))
    if args.problems:
        _write(sys.stderr, "".join(f"{PROG}: {problem}\n" for problem in args.problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
