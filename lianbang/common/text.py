"""Normalising text typed on phones or pasted from spreadsheets."""

from __future__ import annotations

import unicodedata


def normalize_text(value: str) -> str:
    """Full-width to half-width (NFKC), trimmed, inner runs of spaces collapsed."""
    folded = unicodedata.normalize("NFKC", value)
    return " ".join(folded.split())


def compact(value: str) -> str:
    """Like :func:`normalize_text` but with every space removed (codes, numbers)."""
    return "".join(unicodedata.normalize("NFKC", value).split())
