"""Run a Markdown document through pandoc --citeproc and through citekit, read both back
into plain text with pandoc, and pair their blocks (shared by the tests and by hand:
`python tests/pandoc_compare.py tests/data/documents/11-notes.md` prints the differences)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).parent / "data" / "documents"


def pandoc_path() -> str | None:
    try:
        import pypandoc  # pypandoc-binary ships the binary

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def stage(doc: Path, work: Path) -> Path:
    """Copy a document, the reference files and the style it names into `work`."""
    from citekit import registry
    from citekit.documents import split_front_matter

    for f in DOCS.iterdir():
        if f.suffix in (".yaml", ".bib", ".json", ".md"):
            shutil.copy(f, work / f.name)
    meta, _, _ = split_front_matter(doc.read_text(encoding="utf-8"))
    csl = meta.get("csl")
    if csl:
        shutil.copy(registry.locate(csl[:-4] if csl.endswith(".csl") else csl), work / csl)
    return work / doc.name


def _run(pandoc: str, args: list[str], cwd: Path, stdin: str | None = None) -> str:
    out = subprocess.run([pandoc, *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"pandoc {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def blocks(text: str) -> list[str]:
    return [re.sub(r"[ \t]+", " ", b.strip()) for b in re.split(r"\n[ \t]*\n", text.strip()) if b.strip()]


def compare(doc: Path, work: Path, pandoc: str) -> tuple[list[str], list[str], list[str]]:
    """(pandoc's blocks, citekit's blocks, citekit's warnings) for one document."""
    from citekit.documents import render_markdown

    staged = stage(doc, work)
    theirs = _run(pandoc, [staged.name, "--citeproc", "-t", "plain", "--wrap=none"], work)
    ours_md = render_markdown(staged.read_text(encoding="utf-8"), base_dir=work)
    ours = _run(pandoc, ["-f", "markdown", "-t", "plain", "--wrap=none"], work, ours_md.text)
    return blocks(theirs), blocks(ours), ours_md.warnings


def differences(theirs: list[str], ours: list[str]) -> list[tuple[str, str]]:
    """Blocks that differ, as (pandoc, citekit) pairs; a missing block pairs with ""."""
    n = max(len(theirs), len(ours))
    out = []
    for i in range(n):
        a = theirs[i] if i < len(theirs) else ""
        b = ours[i] if i < len(ours) else ""
        if a != b:
            out.append((a, b))
    return out


if __name__ == "__main__":
    import tempfile

    for name in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            t, o, w = compare(Path(name).resolve(), Path(tmp), pandoc_path())
            print(f"== {Path(name).name}: {len(t)} blocks, warnings {w}")
            for a, b in differences(t, o):
                print(f"  pandoc:  {a}\n  citekit: {b}\n")
