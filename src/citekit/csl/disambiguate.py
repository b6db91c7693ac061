"""Disambiguation across every registered item (CSL 1.0.2, "Disambiguation").

Filled in by the whole-document engine work; for now nothing is ambiguous.
"""

from __future__ import annotations


def disambiguate(doc) -> None:
    return None
