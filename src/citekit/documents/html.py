"""`-t html`: the processed Markdown converted by Python-Markdown (the `markdown` extra)."""

from __future__ import annotations


def markdown_to_html(text: str) -> str:
    """An HTML fragment of processed Markdown, as `pandoc -t html` without `-s` writes one."""
    try:
        import markdown
    except ImportError as exc:  # an optional extra
        raise ImportError("HTML output needs the Markdown package: pip install 'citekit[markdown]'") from exc
    return markdown.markdown(text, extensions=["footnotes", "tables", "fenced_code", "attr_list", "md_in_html"]) + "\n"
