"""A Sphinx extension: CSL citations in reStructuredText and MyST Markdown (the `sphinx` extra).

conf.py:

    extensions = ["citekit.sphinx"]            # with "myst_parser" for Markdown pages
    citekit_bibliography = ["refs.bib"]        # files relative to conf.py (CSL-JSON, CSL-YAML, .bib, .ris)
    citekit_csl = "apa"                        # an alias, official id or .csl file
    citekit_locale = "en-GB"                   # optional
    citekit_link_citations = True              # the default: citations link to the page's bibliography

In a page:

    As :cite:t:`doe99, p. 33` argues, ... (:cite:p:`see @doe99, p. 33; @smith04`)
    .. bibliography::                 (what this page cites; `:all:` for every reference,
                                       `:cited:` for everything the project cites)

MyST: {cite:t}`doe99, p. 33`, {cite:p}`doe99`, and a ```{bibliography}``` block.

The text of a role is pandoc's: `@key` with prefix, locator and suffix, several cites
separated by `;`; the `@` may be left out (`doe99, p. 33`). `:cite:` is `:cite:p:`.
Each page is processed as pandoc processes a document (citations in page order, with
positions such as ibid; note styles make numbered footnotes). A page's bibliography lists
what that page cites, unless it is `:cited:`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.domains import Domain
from sphinx.util import logging

from citekit.documents import render_markdown

log = logging.getLogger(__name__)


class pending_citation(nodes.Inline, nodes.Element):  # noqa: N801 (docutils' naming)
    """A citation until the page is processed: `source` is it in pandoc's syntax."""


class pending_bibliography(nodes.General, nodes.Element):  # noqa: N801
    """Where `.. bibliography::` stands."""


def _pandoc_text(text: str, narrative: bool) -> str:
    """A role's text in pandoc's citation syntax: `[see @a, p. 3; @b]` or `@a [p. 3]`."""
    parts = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        if "@" not in part:  # `doe99, p. 33`: the first word is the key
            m = re.match(r"([^\s,]+)(.*)", part, re.S)
            part = f"@{{{m.group(1)}}}{m.group(2)}"
        parts.append(part)
    if not parts:
        return ""
    if not narrative:
        return "[" + "; ".join(parts) + "]"
    m = re.match(r"(-?@(?:\{[^}]*\}|[^\s,\[\]]+))\s*,?\s*(.*)", parts[0], re.S)
    if m is None:
        return "[" + "; ".join(parts) + "]"
    head, rest = m.group(1), m.group(2).strip()
    inner = "; ".join(([rest] if rest else [""]) + parts[1:]) if (rest or parts[1:]) else ""
    return head + (f" [{inner}]" if inner else "")


def _role(narrative: bool):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        source = _pandoc_text(text, narrative)
        if not source:
            msg = inliner.reporter.error(f"{name}: no citation key in {text!r}", line=lineno)
            return [inliner.problematic(rawtext, rawtext, msg)], [msg]
        node = pending_citation(rawtext, source=source)
        node.line = lineno
        return [node], []

    return role


class CiteDomain(Domain):
    """`:cite:p:` and `:cite:t:` (the `cite` domain's roles p and t)."""

    name = "cite"
    label = "Citations"
    roles = {"p": _role(False), "t": _role(True)}

    def merge_domaindata(self, docnames, otherdata):  # nothing is kept between pages
        pass

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []


class BibliographyDirective(Directive):
    has_content = False
    option_spec = {"all": directives.flag, "cited": directives.flag}

    def run(self):
        node = pending_bibliography()
        node["all"] = "all" in self.options
        node["cited"] = "cited" in self.options  # everything the project cites
        return [node]


# --------------------------------------------------------------------------- processing

_INLINE = re.compile(r"\\(.)|(\*\*)|(\*)|<(/?)(sup|sub)>|\[([^\]]*)\]\((#[^)]*)\)", re.S)


def _nodes(markdown: str) -> list[nodes.Node]:
    """docutils nodes for the little Markdown citekit's engine writes: escapes, *italic*,
    **bold**, <sup>/<sub> and links to bibliography entries."""
    root: nodes.Element = nodes.inline()
    stack: list[nodes.Element] = [root]
    pos = 0
    buf: list[str] = []

    def flush():
        if buf:
            stack[-1] += nodes.Text("".join(buf))
            buf.clear()

    def open_node(kind):
        el = kind()
        stack[-1] += el
        stack.append(el)

    for m in _INLINE.finditer(markdown):
        buf.append(markdown[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:
            buf.append(m.group(1))
            continue
        flush()
        if m.group(2) or m.group(3):
            kind = nodes.strong if m.group(2) else nodes.emphasis
            if isinstance(stack[-1], kind) and len(stack) > 1:
                stack.pop()
            else:
                open_node(kind)
        elif m.group(5):
            kind = nodes.superscript if m.group(5) == "sup" else nodes.subscript
            if m.group(4):
                if isinstance(stack[-1], kind) and len(stack) > 1:
                    stack.pop()
            else:
                open_node(kind)
        else:
            ref = nodes.reference("", "", refid=nodes.make_id(m.group(7)[1:]), internal=True)
            ref += _nodes(m.group(6))
            stack[-1] += ref
    buf.append(markdown[pos:])
    flush()
    return list(root.children)


def _walk(doctree: nodes.document) -> list:
    """The citations in reading order, a footnote's at its reference: (node, footnote id or None)."""
    footnotes = {fid: fn for fn in doctree.findall(nodes.footnote) for fid in fn["ids"]}
    order: list = []
    done: set = set()

    def visit(node, in_note):
        for child in node.children:
            if isinstance(child, pending_citation):
                order.append((child, in_note))
            elif isinstance(child, nodes.footnote):
                continue  # read at its reference
            elif isinstance(child, nodes.footnote_reference):
                fid = child.get("refid")
                if fid in footnotes and fid not in done and in_note is None:
                    done.add(fid)
                    order.append((child, "ref"))
                    visit(footnotes[fid], fid)
            elif isinstance(child, nodes.Element):
                visit(child, in_note)

    visit(doctree, None)
    return order


def _settings(app: Any) -> tuple[list[str], str | None, str | None]:
    cfg = app.config
    refs = [str(Path(app.confdir) / f) for f in _as_list(cfg.citekit_bibliography)]
    csl = cfg.citekit_csl
    if csl and csl.endswith(".csl") and (Path(app.confdir) / csl).is_file():
        csl = str(Path(app.confdir) / csl)
    return refs, csl or None, cfg.citekit_locale or None


def _cited(env: Any) -> dict:
    if not hasattr(env, "citekit_cited"):
        env.citekit_cited = {}  # docname → the keys it cites, in order
    return env.citekit_cited


def process_doctree(app: Any, doctree: nodes.document) -> None:
    order = _walk(doctree)
    _cited(app.env)[app.env.docname] = list(dict.fromkeys(
        key for node, where in order if where != "ref" for key in _keys(node["source"])))
    bibs = [b for b in doctree.findall(pending_bibliography) if not b["cited"]]
    if any(b["cited"] for b in doctree.findall(pending_bibliography)):
        _project_pages(app.env).add(app.env.docname)
    else:
        _project_pages(app.env).discard(app.env.docname)
    if not order and not bibs:
        return
    cfg = app.config
    # A Markdown document pandoc would read the same way: one paragraph per citation, and
    # a footnote (holding its citations) per footnote reference.
    lines: list[str] = []
    notes: dict[str, list[str]] = {}
    for node, where in order:
        if where == "ref":
            lines.append(f"x[^{node['refid']}]")
            notes.setdefault(node["refid"], [])
        elif where is None:
            lines.append("x " + node["source"])
        else:
            notes.setdefault(where, []).append(node["source"])
    text = "\n\n".join(lines) + "\n\n"
    text += "".join(f"[^{fid}]: x {' x '.join(cits)}\n\n" for fid, cits in notes.items())
    everything = any(b["all"] for b in bibs)
    refs, csl, locale = _settings(app)
    doc = render_markdown(text, refs or None, style=csl, locale=locale,
                          base_dir=app.confdir, nocite=_all_keys(refs) if everything else (),
                          link_citations=bool(bibs) and cfg.citekit_link_citations)
    for warning in doc.warnings:
        log.warning("citekit: %s", warning, location=app.env.docname)
    cites = [node for node, where in order if where != "ref"]
    existing = len(list(doctree.findall(nodes.footnote)))
    made: list[nodes.footnote] = []
    for node, placed in zip(cites, doc.placed):
        out = nodes.inline(classes=["citation"])
        if placed.author:
            out += _nodes(placed.author)
        if placed.note is not None:
            number = existing + len(made) + 1
            fid = f"citekit-note-{number}"
            refnode = nodes.footnote_reference(f"[{number}]", str(number), ids=[f"{fid}-ref"], refid=fid)
            note = nodes.footnote("", ids=[fid], backrefs=[f"{fid}-ref"])
            note += nodes.label("", str(number))
            para = nodes.paragraph()
            para += _nodes(placed.text)
            note += para
            made.append(note)
            out += refnode
        else:
            if placed.author and placed.text:
                out += nodes.Text(" ")
            out += _nodes(placed.text)
        node.replace_self(out)
    if made:
        section = nodes.rubric("", "Notes") if not existing else None
        holder = doctree.children[-1] if doctree.children and isinstance(doctree.children[-1], nodes.section) \
            else doctree
        if section is not None:
            holder += section
        for note in made:
            holder += note
    for bib in bibs:
        bib.replace_self(_entries(doc.bibliography, bib is bibs[0]))


def _entries(entries: list, first: bool) -> nodes.container:
    container = nodes.container(classes=["references", "csl-bib-body"], ids=["refs"] if first else [])
    for entry in entries:
        para = nodes.paragraph(classes=["csl-entry"], ids=[nodes.make_id(f"ref-{entry.id}")])
        para += _nodes(entry.text.strip())
        container += para
    return container


def _keys(source: str) -> list[str]:
    from citekit.documents.syntax import scan

    return [c.key for cit in scan("x " + source).citations for c in cit.cites]


def resolve_project_bibliographies(app: Any, doctree: nodes.document, docname: str) -> None:
    """`.. bibliography:: :cited:` lists what the whole project cites: filled in once every
    page has been read."""
    bibs = list(doctree.findall(pending_bibliography))
    if not bibs:
        return
    cited = _cited(app.env)
    keys = list(dict.fromkeys(k for name in sorted(cited) for k in cited[name]))
    refs, csl, locale = _settings(app)
    doc = render_markdown("", refs or None, style=csl, locale=locale, base_dir=app.confdir, nocite=keys)
    for bib in bibs:
        bib.replace_self(_entries(doc.bibliography, bib is bibs[0]))


def _project_pages(env: Any) -> set:
    if not hasattr(env, "citekit_project_pages"):
        env.citekit_project_pages = set()  # pages with a `:cited:` bibliography
    return env.citekit_project_pages


def _outdated(app: Any, env: Any, added: set, changed: set, removed: set) -> list:
    # a project-wide bibliography changes whenever any page's citations do
    return sorted(_project_pages(env) - added - changed - removed) if (added or changed or removed) else []


def _purge(app: Any, env: Any, docname: str) -> None:
    _cited(env).pop(docname, None)
    _project_pages(env).discard(docname)


def _merge(app: Any, env: Any, docnames: Any, other: Any) -> None:
    _cited(env).update({d: k for d, k in _cited(other).items() if d in docnames})
    _project_pages(env).update(d for d in _project_pages(other) if d in docnames)


def _as_list(value: Any) -> list:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _all_keys(files: list[str]) -> list[str]:
    from citekit.readers import load

    keys: list[str] = []
    for f in files:
        keys.extend(str(i.get("id")) for i in load(Path(f)).items)
    return keys


def setup(app: Any) -> dict:
    app.add_config_value("citekit_bibliography", [], "env")
    app.add_config_value("citekit_csl", "", "env")
    app.add_config_value("citekit_locale", "", "env")
    app.add_config_value("citekit_link_citations", True, "env")
    app.add_node(pending_citation)
    app.add_node(pending_bibliography)
    app.add_domain(CiteDomain)
    app.add_role("cite", _role(False))
    app.add_directive("bibliography", BibliographyDirective)
    app.connect("doctree-read", process_doctree)
    app.connect("doctree-resolved", resolve_project_bibliographies)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    from citekit import __version__

    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
