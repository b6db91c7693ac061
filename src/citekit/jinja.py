"""Jinja2 integration (``pip install citekit[jinja]``).

    from jinja2 import Environment
    from citekit.jinja import install

    env = install(Environment(autoescape=True))
    env.from_string('{{ brief | cite("apa") }} {{ cite_panel(brief) }}').render(brief=b)

Both return ``markupsafe.Markup``: the citation markup is already escaped (and
passed through the panel's allow-list), so autoescaping leaves it alone while
everything else in the template is still escaped as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from jinja2 import pass_eval_context
    from markupsafe import Markup, escape
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("citekit.jinja needs Jinja2: pip install 'citekit[jinja]'") from exc

from . import panel as _panel

__all__ = ["install", "cite_filter", "make_cite_panel"]

# Marks, on a render's evaluation context, that the panel assets were emitted.
_ASSETS_FLAG = "_citekit_panel_assets_done"


def cite_filter(item: Any, style: str = "apa", format: str = "html", locale: str | None = None) -> Markup:
    """``{{ item | cite("mla") }}``: the formatted reference as safe markup."""
    import citekit

    if format == "html":
        return Markup(_panel.sanitize_citation_html(citekit.cite(item, style=style, format="html", locale=locale)))
    # Any other format is plain text to an HTML template: escape it.
    return escape(citekit.cite(item, style=style, format=format, locale=locale))


def make_cite_panel(*, styles: Iterable[str] = _panel.DEFAULT_STYLES, nonce: str | None = None, **defaults: Any):
    """Build the ``cite_panel`` global with site-wide defaults."""
    default_styles = styles if isinstance(styles, str) else tuple(styles)

    @pass_eval_context
    def cite_panel(eval_ctx: Any, item: Any, styles: Iterable[str] | None = None, **options: Any) -> Markup:
        """``{{ cite_panel(item) }}``: a Cite panel. Within one render only the
        first panel carries the style and script blocks, unless ``assets`` is given."""
        opts = {"nonce": nonce, **defaults, **options}
        if "assets" not in opts:
            opts["assets"] = not getattr(eval_ctx, _ASSETS_FLAG, False)
        if opts["assets"]:
            setattr(eval_ctx, _ASSETS_FLAG, True)
        return Markup(_panel.panel(item, default_styles if styles is None else styles, **opts))

    return cite_panel


def install(env: Any, *, styles: Iterable[str] = _panel.DEFAULT_STYLES, nonce: str | None = None, **defaults: Any) -> Any:
    """Add the ``cite`` filter and the ``cite_panel`` and ``cite_panel_assets``
    globals to a Jinja2 ``Environment``; returns the environment.

    styles, nonce and any other :func:`citekit.panel` option become the panel's
    defaults; a template can still override them per call. For a per-request
    CSP nonce, pass ``nonce=`` in the template: ``cite_panel(b, nonce=csp_nonce)``.
    """
    env.filters["cite"] = cite_filter
    env.globals["cite_panel"] = make_cite_panel(styles=styles, nonce=nonce, **defaults)

    @pass_eval_context
    def cite_panel_assets(eval_ctx: Any, nonce: str | None = nonce) -> Markup:
        """``{{ cite_panel_assets() }}`` in a layout's <head>: the panels rendered
        after it in the same template then leave their assets out."""
        setattr(eval_ctx, _ASSETS_FLAG, True)
        return Markup(_panel.panel_assets(nonce=nonce))

    env.globals["cite_panel_assets"] = cite_panel_assets
    return env
