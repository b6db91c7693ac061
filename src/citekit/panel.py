"""The embeddable Cite panel: a self-contained HTML fragment for web pages.

    html = citekit.panel(brief)                       # MLA | APA | Chicago
    html = citekit.panel(brief, styles=("apa", "ieee"), default="ieee", nonce=n)
    page = citekit.panel.panel_page(brief)            # a complete demo page

`citekit.panel` is this module, and calling it calls `panel()`: a function
and a submodule of one name would otherwise replace each other on the package
depending on import order.

The fragment works without JavaScript (every style's citation is visible, one
after the other); its one small script turns it into a "Cite" button that opens
a tabbed panel with Copy and Close. Everything that comes from the item is
escaped; the engine's HTML is additionally passed through an allow-list of the
inline markup CSL produces, so the panel stays safe even if an upstream layer
ever lets markup through. See docs/embedding.md for theming and CSP.
"""

from __future__ import annotations

import hashlib
import html as _html
import itertools
import os
import re
import secrets
import sys
import types
from collections.abc import Iterable, Mapping
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any

from citekit.csl.limits import has_controls, strip_controls

__all__ = [
    "panel",
    "panel_page",
    "panels",
    "panel_assets",
    "panel_css",
    "panel_js",
    "sanitize_citation_html",
    "style_label",
    "DEFAULT_STYLES",
    "DEFAULT_STRINGS",
]

DEFAULT_STYLES: tuple[str, ...] = ("mla", "apa", "chicago")

#: Interface text; override any of it with ``panel(..., strings={...})``.
DEFAULT_STRINGS: dict[str, str] = {
    "cite": "Cite",
    "heading": "Cite this",
    "styles": "Citation style",
    "copy": "Copy",
    "copy_label": "Copy citation",
    "close": "Close",
    "close_label": "Close citation panel",
    "copied": "Copied",
    "copy_failed": "Press Ctrl+C to copy",
}

# Short tab labels for the registry's aliases and the official ids they stand for.
_KNOWN_LABELS: dict[str, str] = {
    "mla": "MLA",
    "modern-language-association": "MLA",
    "apa": "APA",
    "chicago": "Chicago",
    "chicago-notes-bibliography": "Chicago",
    "chicago-author-date": "Chicago (author-date)",
    "harvard": "Harvard",
    "harvard-cite-them-right": "Harvard",
    "ieee": "IEEE",
    "vancouver": "Vancouver",
    "nlm-citation-sequence": "Vancouver",
    "turabian": "Turabian",
    "nature": "Nature",
    "ama": "AMA",
    "american-medical-association": "AMA",
    "asa": "ASA",
    "american-sociological-association": "ASA",
}

_NONCE_RE = re.compile(r"^[A-Za-z0-9+/=_-]+$")
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_counter = itertools.count(1)


# --------------------------------------------------------------------------- assets


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")


def panel_css() -> str:
    """The panel's stylesheet, e.g. to serve it as a file under a strict CSP."""
    return _asset("panel.css")


def panel_js() -> str:
    """The panel's script, e.g. to serve it as a file (``script-src 'self'``)."""
    return _asset("panel.js")


def _nonce_attr(nonce: str | None) -> str:
    if nonce is None:
        return ""
    if not _NONCE_RE.match(nonce):
        raise ValueError(f"nonce must be base64 or base64url characters, got {nonce!r}")
    return f' nonce="{nonce}"'


def _style_block(nonce: str | None, extra_css: str = "") -> str:
    return f"<style{_nonce_attr(nonce)}>\n{panel_css()}{extra_css}</style>"


def _script_block(nonce: str | None) -> str:
    return f"<script{_nonce_attr(nonce)}>\n{panel_js()}</script>"


def panel_assets(*, nonce: str | None = None) -> str:
    """The ``<style>`` and ``<script>`` blocks, for pages that put them in once
    and render their panels with ``assets=False``. The script is idempotent, so
    emitting it more than once is harmless, only wasteful."""
    return _style_block(nonce) + "\n" + _script_block(nonce)


# --------------------------------------------------------------------------- sanitizer


def _esc_text(s: str) -> str:
    # `&#38;` rather than `&amp;` matches the engine's (citeproc-js's) convention,
    # so clean engine output passes through byte for byte. Quotes are escaped too, so that
    # the result is safe inside an attribute (`title="{{ b|cite }}"`) as well as in text;
    # control characters (other than tab and newline) are dropped.
    s = s.replace("&", "&#38;").replace("<", "&lt;").replace(">", "&gt;")
    if '"' in s or "'" in s:
        s = s.replace('"', "&#34;").replace("'", "&#39;")
    return strip_controls(s) if has_controls(s) else s


def _esc_attr(s: str) -> str:
    return _html.escape(s, quote=True)


_ALLOWED_TAGS = {"i", "b", "em", "strong", "sup", "sub", "span", "div", "a", "br"}
_DROP_CONTENT = {"script", "style", "template", "textarea", "title", "noscript", "iframe", "object"}
_CLASS_TOKEN = re.compile(r"^(?:nocase|csl-[a-z0-9-]+)$")
_STYLE_RE = re.compile(
    r"^\s*(?:(?:font-variant|font-style|font-weight|text-decoration|vertical-align)"
    r"\s*:\s*[a-z-]+\s*;?\s*)+$"
)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skip = 0

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for name, value in attrs:
            value = value or ""
            if name == "class":
                tokens = [t for t in value.split() if _CLASS_TOKEN.match(t)]
                if tokens:
                    kept.append(("class", " ".join(tokens)))
            elif name == "style" and _STYLE_RE.match(value):
                kept.append(("style", value.strip()))
            elif name == "href" and re.match(r"^(?:https?:|mailto:)", value.strip(), re.I):
                kept.append(("href", value.strip()))
        return "".join(f' {n}="{_esc_attr(v)}"' for n, v in kept)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self.skip += 1
        elif self.skip or tag not in _ALLOWED_TAGS:
            return
        elif tag == "br":
            self.out.append("<br>")
        else:
            self.out.append(f"<{tag}{self._attrs(attrs)}>")
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skip:
            self.out.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag in self.stack:
            while self.stack:
                open_tag = self.stack.pop()
                self.out.append(f"</{open_tag}>")
                if open_tag == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(_esc_text(data))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.stack))


def sanitize_citation_html(markup: str) -> str:
    """Re-serialise a formatted citation keeping only CSL's inline markup.

    Kept: ``i b em strong sup sub br``, ``span`` (``nocase``/``csl-*`` classes and
    font styles), ``div`` (``csl-*`` classes) and ``a`` with an http(s)/mailto link.
    Any other element is dropped (its text kept, escaped); the content of
    ``script``/``style`` and the like is dropped. Text is always re-escaped, so
    the result is well-formed and cannot carry markup the engine did not mean.
    """
    parser = _Sanitizer()
    parser.feed(markup)
    return parser.result()


# --------------------------------------------------------------------------- labels


def _label_from_title(title: str) -> str:
    # Titles run long ("Modern Language Association 9th edition (note)"): drop
    # what only tells editions apart, keep a short title as it is, else prefer an
    # acronym already in it, else make one from the capitalised words.
    t = re.sub(r"\s*\(.*?\)", "", title)
    t = re.split(r"\s+[-\u2013\u2014]\s+|,", t)[0]
    t = re.sub(r"\s+(?:\d+(?:st|nd|rd|th)\s+edition|edition|\d{4}\s+revision)\b.*$", "", t, flags=re.I).strip()
    if len(t) <= 20:
        return t or title.strip()[:20]
    acronym = re.search(r"\b[A-Z][A-Z/]+\b(?:[\s-]+[\d][\w-]*)?", t)
    if acronym:
        return acronym.group(0)
    initials = "".join(w[0] for w in re.split(r"[\s/-]+", t) if w[:1].isupper())
    return initials if len(initials) >= 2 else t[:20].rstrip()


def _registry_label(style: Any) -> str | None:
    """The style's short title, or a label made from its title, from the registry."""
    try:
        from . import registry

        if isinstance(style, str) and not style.lstrip().startswith("<"):
            info: Any = registry.lookup(style)  # the index: no parsing
        else:
            info = registry.resolve(style).info  # CSL text or a parsed style
    except Exception:  # an unknown style is reported by cite(), not by its label
        return None
    short = (getattr(info, "title_short", "") or "").strip()
    if short and len(short) <= 12:  # CSL's title-short is often the long form ("American Chemical Society")
        return short
    title = (getattr(info, "title", "") or "").strip()
    return _label_from_title(title) if title else None


def style_label(style: Any) -> str:
    """A short tab label for a style: ``"mla"`` -> ``"MLA"``.

    Known short names and ids have fixed labels; otherwise the registry's short
    title, or initials of a long title, or the file name.
    """
    if isinstance(style, str) and style.strip().lower() in _KNOWN_LABELS:
        return _KNOWN_LABELS[style.strip().lower()]
    label = _registry_label(style)
    if label:
        return label
    if isinstance(style, str) and not style.lstrip().startswith("<"):
        stem = re.sub(r"\.csl$", "", re.split(r"[\\/]", style.strip())[-1])
        if stem:
            return stem.replace("-", " ")
    return "Style"


# --------------------------------------------------------------------------- the panel


def _style_key(style: Any) -> str:
    """A style's name as a string: for comparisons, `labels` and `data-citekit-style`."""
    if isinstance(style, str):
        # CSL given as XML text has no name of its own: use its <id>, or a digest.
        if style.lstrip().startswith("<"):
            found = re.search(r"<id>\s*([^<\s]+)\s*</id>", style)
            return found.group(1) if found else "csl-" + hashlib.sha1(style.encode()).hexdigest()[:8]
        return style
    if isinstance(style, os.PathLike):
        return os.fspath(style)
    style_id = getattr(getattr(style, "info", None), "id", "")
    return style_id or "style-" + hashlib.sha1(repr(style).encode()).hexdigest()[:8]


def _cite(item: Any, style: str, fmt: str, locale: str | None) -> str:
    # Looked up at call time so the public face's cite() is the single source of truth.
    import citekit

    return citekit.cite(item, style=style, format=fmt, locale=locale)


def _item_title(item: Any) -> str | None:
    value = item.get("title") if isinstance(item, Mapping) else getattr(item, "title", None)
    return value if isinstance(value, str) and value.strip() else None


def panel(
    item: Any,
    styles: Iterable[str] = DEFAULT_STYLES,
    *,
    default: str | None = None,
    format: str = "html",
    nonce: str | None = None,
    locale: str | None = None,
    labels: Mapping[str, str] | None = None,
    strings: Mapping[str, str] | None = None,
    assets: bool = True,
    open: bool = False,
    id: str | None = None,
) -> str:
    """Render a Cite panel for one item (a citekit model or a CSL-JSON dict).

    styles: the styles offered, in tab order; default: the one selected first
    (default: the first). format: ``"html"`` (rich citation) or ``"text"``.
    nonce: CSP nonce put on the ``<style>`` and ``<script>`` blocks.
    labels: tab labels by style, overriding :func:`style_label`.
    strings: interface text, overriding :data:`DEFAULT_STRINGS`.
    assets: include the style and script blocks (turn off for all but one
    panel of a page, or use :func:`panel_assets` once). open: start open.
    id: the root element's id (default: unique, ``citekit-<hash>-<n>``).
    """
    if isinstance(styles, str):
        styles = [s.strip() for s in styles.split(",") if s.strip()]  # "mla,apa" as the command gives it
    styles = list(styles)
    if not styles:
        raise ValueError("styles must be a non-empty sequence of style names")
    keys = [_style_key(s) for s in styles]
    if len(set(keys)) != len(keys):
        raise ValueError(f"styles must not repeat: {keys!r}")
    default_key = keys[0] if default is None else _style_key(default)
    if default_key not in keys:
        raise ValueError(f"default style {default_key!r} is not one of {keys!r}")
    if format not in ("html", "text"):
        raise ValueError(f"format must be 'html' or 'text', got {format!r}")
    text = dict(DEFAULT_STRINGS)
    if strings:
        unknown = set(strings) - set(DEFAULT_STRINGS)
        if unknown:
            raise ValueError(f"unknown strings {sorted(unknown)}; known: {sorted(DEFAULT_STRINGS)}")
        text.update(strings)
    labels = dict(labels or {})
    nonce_attr = _nonce_attr(nonce)  # validate before doing any work

    rendered = []
    for s, key in zip(styles, keys):
        plain = _cite(item, s, "text", locale)
        rich = sanitize_citation_html(_cite(item, s, "html", locale)) if format == "html" else _esc_text(plain)
        rendered.append((key, labels.get(key) or style_label(s), rich, plain))

    if id is None:
        digest = hashlib.sha1(repr([(s, r) for s, _, r, _ in rendered]).encode("utf-8")).hexdigest()[:8]
        id = f"citekit-{digest}-{next(_counter)}"
    elif not _ID_RE.match(id):
        raise ValueError(f"id must start with a letter and contain only letters, digits, - and _: {id!r}")

    e = _esc_attr
    out: list[str] = []
    if assets:
        out.append(f"<style{nonce_attr}>\n{panel_css()}</style>")
    out.append(
        f'<div class="citekit" id="{id}" data-citekit'
        f' data-citekit-copied="{e(text["copied"])}" data-citekit-copy-failed="{e(text["copy_failed"])}"'
        + (" data-citekit-open" if open else "")
        + ">"
    )
    # Hidden until the script runs: without it the button would do nothing.
    out.append(
        f'<button type="button" class="citekit-cite" aria-expanded="false"'
        f' aria-controls="{id}-body" hidden>{e(text["cite"])}</button>'
    )
    out.append(f'<section class="citekit-body" id="{id}-body" aria-labelledby="{id}-heading">')
    out.append(f'<p class="citekit-heading" id="{id}-heading">{e(text["heading"])}</p>')
    out.append(f'<div class="citekit-tabs" role="tablist" aria-label="{e(text["styles"])}" hidden>')
    for n, (s, label, _, _) in enumerate(rendered, 1):
        on = s == default_key
        out.append(
            f'<button type="button" class="citekit-tab" role="tab" id="{id}-tab-{n}"'
            f' aria-controls="{id}-panel-{n}" aria-selected="{"true" if on else "false"}"'
            f' tabindex="{0 if on else -1}" data-citekit-style="{e(s)}">{e(label)}</button>'
        )
    out.append("</div>")
    for n, (s, label, rich, plain) in enumerate(rendered, 1):
        # Not `hidden` in the markup: without the script every citation must be readable.
        out.append(
            f'<div class="citekit-tabpanel" role="tabpanel" id="{id}-panel-{n}"'
            f' aria-labelledby="{id}-tab-{n}" tabindex="0" data-citekit-style="{e(s)}">'
        )
        out.append(f'<p class="citekit-style-name">{e(label)}</p>')
        out.append(f'<div class="citekit-citation" data-citekit-text="{e(plain)}">{rich}</div>')
        out.append("</div>")
    out.append('<div class="citekit-actions" hidden>')
    out.append(
        f'<button type="button" class="citekit-copy" aria-label="{e(text["copy_label"])}">{e(text["copy"])}</button>'
    )
    out.append(
        f'<button type="button" class="citekit-close" aria-label="{e(text["close_label"])}">{e(text["close"])}</button>'
    )
    out.append('<p class="citekit-status" role="status" aria-live="polite"></p>')
    out.append("</div>")
    out.append("</section>")
    out.append("</div>")
    if assets:
        out.append(f"<script{nonce_attr}>\n{panel_js()}</script>")
    return "\n".join(out)


def panels(items: Iterable[Any], styles: Iterable[str] = DEFAULT_STYLES, **options: Any) -> str:
    """One panel per item, the style and script blocks with the first only
    (what ``citekit panel FILE`` prints). Options as for :func:`panel`."""
    items = list(items)
    if not items:
        raise ValueError("no items to make panels for")
    if not isinstance(styles, str):
        styles = tuple(styles)
    assets = options.pop("assets", True)
    return "\n".join(panel(it, styles, assets=assets and i == 0, **options) for i, it in enumerate(items))


_PAGE_CSS = """
body { font-family: Georgia, "DejaVu Serif", serif; margin: 0; background: #f6f5f4; color: #241f31; }
main { max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
article { background: #fff; padding: 1.5rem 2rem; border-radius: 6px; }
h1 { font-size: 1.6rem; line-height: 1.25; }
"""


def panel_page(
    item: Any,
    styles: Iterable[str] = DEFAULT_STYLES,
    *,
    title: str | None = None,
    lang: str = "en",
    nonce: str | None = None,
    csp: bool = False,
    **panel_options: Any,
) -> str:
    """A complete HTML page showing the panel: the demo behind ``citekit panel --page``.

    item may be one item or a list of items (one panel each, sharing one copy
    of the assets). csp=True adds a strict Content-Security-Policy meta tag
    (nothing but the nonced style and script may run), generating a nonce when
    none is given.
    """
    items = list(item) if isinstance(item, (list, tuple)) else [item]
    if not items:
        raise ValueError("panel_page needs at least one item")
    if not isinstance(styles, str):
        styles = tuple(styles)
    if csp and nonce is None:
        nonce = secrets.token_urlsafe(16)
    nonce_attr = _nonce_attr(nonce)
    if title is None:
        title = _item_title(items[0]) if len(items) == 1 else None
    title = title or "Cite"
    panels = []
    for it in items:
        heading = _item_title(it) if len(items) > 1 else None
        block = f"<h2>{_esc_text(heading)}</h2>\n" if heading else ""
        panels.append(block + panel(it, styles, nonce=nonce, assets=False, **panel_options))
    head_csp = ""
    if csp:
        head_csp = (
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
            f" script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'\">\n"
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc_attr(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{head_csp}<title>{_esc_text(title)}</title>\n"
        f"<style{nonce_attr}>\n{panel_css()}{_PAGE_CSS}</style>\n"
        "</head>\n<body>\n<main>\n<article>\n"
        f"<h1>{_esc_text(title)}</h1>\n"
        + "\n".join(panels)
        + "\n</article>\n</main>\n"
        f"{_script_block(nonce)}\n"
        "</body>\n</html>\n"
    )


class _CallableModule(types.ModuleType):
    """Makes ``citekit.panel(item)`` work although ``citekit.panel`` is this module."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        return panel(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
