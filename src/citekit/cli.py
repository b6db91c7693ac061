"""The `citekit` command: argument parsing and printing only; the library does the work.

Exit codes: 0 success, 1 bad input (an unknown style, an invalid item, an unreadable
file), 2 wrong usage. Errors go to stderr in a line or two; `--debug` shows a traceback.
Every command builds its whole output before printing any of it.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citekit.csl import FORMATS

from . import registry
from .errors import CitekitError, StyleError

PROG = "citekit"
# Input files read by citekit.readers; .json and .yaml are read here, as they may hold briefs.
_READER_SUFFIXES = {".bib", ".bibtex", ".biblatex", ".ris", ".html", ".htm", ".xhtml", ".md", ".markdown"}


class InputError(CitekitError):
    """An input file that cannot be read or parsed."""


# --- reading input --------------------------------------------------------------------------

class _TooManyDigits(Exception):
    def __init__(self, digits: int):
        self.digits = digits


def _json_int(literal: str) -> int:
    # Python refuses to read ints of more than 4,300 digits; citekit reads at most LIMITS.max_digits
    from citekit.csl.limits import to_int

    value = to_int(literal)
    if value is None:
        raise _TooManyDigits(len(literal.lstrip("-")))
    return value


def _parse_data(text: str, name: str, suffix: str) -> Any:
    """JSON or YAML text → Python data; errors name the file and line."""
    from citekit.csl.limits import LIMITS

    if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip()[:1] in "[{"):
        try:
            return json.loads(text, parse_int=_json_int)
        except _TooManyDigits as exc:
            raise InputError(f"{name}: a number of {exc.digits:,} digits, more than the {LIMITS.max_digits} "
                             "citekit reads (LIMITS.max_digits)") from None
        except RecursionError:
            raise InputError(f"{name}: JSON nested too deep") from None
        except json.JSONDecodeError as exc:
            if suffix == ".json":
                raise InputError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    import yaml  # only for YAML: JSON input never pays for it

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(exc, "problem", None) or "not valid JSON or YAML"
        raise InputError(f"{where}: {problem}") from None
    except (ValueError, RecursionError) as exc:  # an int of more than 4,300 digits, nesting too deep
        why = "a number with too many digits" if "digits" in str(exc) else "nested too deep" \
            if isinstance(exc, RecursionError) else str(exc)[:120]
        raise InputError(f"{name}: not readable YAML ({why})") from None


def _records(data: Any, name: str) -> list[Any]:
    # pandoc's CSL YAML wraps the list as `references:`
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        return data["references"]
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return [data]
    raise InputError(f"{name}: expected a CSL-JSON item, a list of items or a brief, "
                     f"found {type(data).__name__ if data is not None else 'nothing'}")


def _read_with_readers(path: Path, notes: list[str], problems: list[str] | None,
                       strict: bool) -> list[Any]:
    from citekit.readers import ReaderError, load

    try:
        result = load(str(path))
    except ReaderError as exc:
        raise InputError(str(exc)) from None
    found = [str(p) for p in result.problems]
    if found and strict:
        # --strict: nothing is printed when any record is bad
        more = f" (and {len(found) - 1} more problem{'s' if len(found) > 2 else ''})" if len(found) > 1 else ""
        raise InputError(f"{found[0]}{more}; --strict prints nothing when a record is bad")
    # Without --strict the readable records are formatted and the bad ones reported;
    # the command then exits 1 (see main).
    (problems if problems is not None else notes).extend(found)
    return list(result.references)


def load_items(source: str, notes: list[str] | None = None, problems: list[str] | None = None,
               strict: bool = False) -> list[Any]:
    """The validated models (Reference or Brief) in a file, or in stdin for "-".

    Records a reader had to skip are reported in `problems` (or, with strict, raise).
    """
    from citekit.csl.limits import LIMITS

    limit = LIMITS.max_input_size
    too_big = (f"more than {limit:,} bytes, the most the command reads (--max-input-size, "
               "LIMITS.max_input_size)")
    if source == "-":
        name, suffix = "<stdin>", ""
        if sys.stdin is None:
            raise InputError("<stdin>: standard input is closed")
        data = sys.stdin.buffer.read(limit + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"{name}: {too_big}")
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: cannot read it ({exc})") from None
    else:
        path = Path(source)
        name, suffix = source, path.suffix.lower()
        try:
            if path.is_file() and path.stat().st_size > limit:
                raise InputError(f"{name}: {path.stat().st_size:,} bytes, {too_big}")
        except OSError as exc:  # a name the system refuses (too long)
            raise InputError(f"{name}: cannot read it ({exc.strerror or exc})") from None
        if suffix in _READER_SUFFIXES:
            return _validated(_read_with_readers(path, notes if notes is not None else [], problems, strict),
                              name)
        try:
            with path.open("rb") as fh:
                data = fh.read(limit + 1)  # a FIFO or a device has no size to check first
            if len(data) > limit:
                raise InputError(f"{name}: {too_big}")
            text = data.decode("utf-8")
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{name}: cannot read it ({exc})") from None
    if not text.strip():
        raise InputError(f"{name}: the input is empty")
    return _validated(_records(_parse_data(text, name, suffix), name), name)


def _validated(records: list[Any], name: str) -> list[Any]:
    from .models import parse_item  # Pydantic loads only for the commands that read items

    if not records:
        raise InputError(f"{name}: no items in it")
    try:
        return [parse_item(r, i) for i, r in enumerate(records, 1)]
    except CitekitError as exc:
        raise InputError(f"{name}: {exc}") from None


_BRIEF_FLAGS = ("title", "author", "date", "publisher", "url", "kind", "accessed", "updated")


def _brief_from_flags(args: argparse.Namespace) -> Any:
    from .models import Brief

    fields = {("authors" if flag == "author" else flag): getattr(args, flag) for flag in _BRIEF_FLAGS}
    return Brief.from_data({k: v for k, v in fields.items() if v is not None})


# --- commands ----------------------------------------------------------------------------------

def cmd_cite(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from . import api

    flags_given = any(getattr(args, f) for f in _BRIEF_FLAGS)
    if args.file and flags_given:
        parser.error("give either FILE or the --title/--author/... flags of a one-off brief, not both")
    if not args.file and not flags_given:
        parser.error("give a FILE (or - for stdin), or --title and the other flags of a one-off brief")
    if flags_given and not args.title:
        parser.error("a one-off brief needs --title")
    items = [_brief_from_flags(args)] if flags_given else load_items(args.file, args.notes, args.problems, getattr(args, "strict", False))
    _control_notes(items, args.notes)
    style = registry.resolve(args.style)  # once, before any item: an unknown style fails first
    helper = api.citation if args.citation else api.cite
    lines = [helper(item, style=style, format=args.format, locale=args.locale) for item in items]
    return "\n".join(lines) + "\n"


def cmd_bib(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    from . import api

    items = load_items(args.file, args.notes, args.problems, getattr(args, "strict", False))
    _control_notes(items, args.notes)
    block = api.bibliography(items, style=args.style, format=args.format, locale=args.locale)
    return block if block.endswith("\n") else block + "\n"


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
    hits = reg.search(args.query or "")
    if not hits:
        raise CitekitError(f"no style matches {args.query!r}; try a shorter query, or `citekit styles` for all")
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
    seen = dict.fromkeys(f"{path}:{e.line}: {e.message}" for e in rng.error_log)
    return list(seen)


def style_cost_warnings(path: Path) -> tuple[list[str], list[str]]:
    """(problems, warnings) of a schema-valid style as citekit's engine sees it: a style it
    refuses (macros calling themselves, nesting too deep, over a size limit) is a problem;
    macros that expand exponentially are a warning (rendering may stop at the work budget)."""
    from citekit.csl import parse_style
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

    items = load_items(args.file, args.notes, args.problems, getattr(args, "strict", False))
    _control_notes(items, args.notes)
    styles = [s.strip() for s in args.styles.split(",") if s.strip()]
    if not styles:
        parser.error("--styles needs at least one style, e.g. --styles mla,apa,chicago")
    for style in styles:
        registry.resolve(style)  # an unknown style fails here, before anything is rendered
    options = {"default": args.default, "locale": args.locale}
    if args.page:
        return panel.panel_page(items if len(items) > 1 else items[0], styles, csp=args.csp, **options) + "\n"
    # The panel's CSS and script are emitted once, with the first panel.
    return "".join(panel.panel(item, styles, assets=i == 0, **options) + "\n" for i, item in enumerate(items))


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
        description="Format references in any official CSL style (10,000+ styles, or your own .csl).",
        epilog=_epilog(
            "citekit cite examples/brief.json --style mla",
            "citekit bib refs.json --style apa --format html > bibliography.html",
            "citekit styles chicago",
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--debug", action="store_true", help="show a traceback when something fails")
    parser.add_argument("--max-input-size", type=_byte_count, metavar="BYTES",
                        help="the largest input file read, e.g. 500M (default: 200M); see docs/limits.md")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --debug is accepted after the command too; SUPPRESS keeps it from resetting the global one.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show a traceback when something fails")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--style", "-s", default="apa",
                        help="a style alias (mla, apa, chicago, ...), official id or title, or a .csl file "
                             "(default: apa)")
    output.add_argument("--format", "-f", default="text", choices=FORMATS, help="output format (default: text)")
    output.add_argument("--locale", "-l", help="a locale such as en-GB or de-DE (default: the style's)")
    output.add_argument("--strict", action="store_true",
                        help="fail without output when a .bib/.ris record cannot be read (default: format the "
                             "rest, report the bad records, exit 1)")

    p = sub.add_parser(
        "cite", parents=[common, output], formatter_class=fmt,
        help="format one reference per item (a brief, CSL-JSON, .bib, .ris or a saved page)",
        description="Format one full reference per item, or with --citation the in-text citation "
                    "(first note for note styles). FILE holds CSL-JSON (one object or a list) or a "
                    "brief in JSON or YAML, BibTeX/BibLaTeX (.bib), RIS (.ris), CSL-YAML, or a saved web "
                    "page (.html, read from its metadata). Without FILE, the --title/--author/... flags make a one-off brief.",
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
        help="format a sorted, disambiguated bibliography",
        description="Format all the items of FILE as one bibliography, sorted and disambiguated by the "
                    "style. HTML output is a complete csl-bib-body block.",
        epilog=_epilog("citekit bib refs.json --style apa", "citekit bib refs.yaml --style ieee --format html",
                       "citekit bib library.bib --style mla --strict"),
    )
    p.add_argument("file", metavar="FILE", help="CSL-JSON, CSL-YAML, briefs, .bib, .ris or .html (or - for stdin)")
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
        "styles", parents=[common], formatter_class=fmt,
        help="search the installed styles",
        description="List the styles whose id or title contains every word of QUERY (all styles "
                    "without one): id, class (in-text or note), title, and the parent of a dependent style.",
        epilog=_epilog("citekit styles chicago", "citekit styles 'author date' | head",
                       "citekit styles --show mla", "citekit styles --aliases"),
    )
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--show", metavar="NAME", help="everything known of one style")
    p.add_argument("--aliases", action="store_true", help="list the short names (mla, apa, ...)")
    p.set_defaults(func=cmd_styles)

    p = sub.add_parser(
        "validate", parents=[common], formatter_class=fmt,
        help="check .csl files against the CSL schema",
        description="Validate styles against the CSL 1.0.2 RelaxNG schema, then check that citekit can use "
                    "them (no macro that calls itself, nesting and size within limits); problems are printed "
                    "as FILE:LINE: message, and the exit code is 1 when any style is invalid. A style whose "
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    args.notes = []  # warnings to show on stderr once the command succeeded
    args.problems = []  # records an input reader skipped: reported, and the exit status is 1
    if getattr(args, "max_input_size", None) is not None:
        from citekit.csl.limits import LIMITS

        LIMITS.max_input_size = args.max_input_size
    try:
        output = args.func(args, parser)
    except (CitekitError, StyleError) as exc:
        if args.debug:
            traceback.print_exc()
        if isinstance(exc, _ReportFailure):
            _write(sys.stdout, exc.report)
        _write(sys.stderr, f"{PROG}: {exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so briefly, the traceback is one flag away
        if args.debug:
            traceback.print_exc()
        else:
            _write(sys.stderr, f"{PROG}: internal error: {type(exc).__name__}: {exc}\n"
                               f"{PROG}: run again with --debug for the traceback\n")
        return 1
    if not _write(sys.stdout, output):
        if sys.stdout is None:
            _write(sys.stderr, f"{PROG}: cannot write the output: standard output is closed\n")
        return 1
    if args.notes:
        _write(sys.stderr, "".join(f"{PROG}: warning: {note}\n" for note in args.notes))
    if args.problems:
        _write(sys.stderr, "".join(f"{PROG}: {problem}\n" for problem in args.problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
