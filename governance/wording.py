"""Sentences built around words people typed: one full stop, never two. Pure."""

from __future__ import annotations

ENDINGS = (".", "!", "?", ":", ";", "…")


def unended(text: str | None) -> str:
    """Typed words without the full stops (or spaces) they ended with: 'Missing from care.' -> 'Missing from care'."""
    return (text or "").strip().rstrip(".").rstrip()


def sentence(text: str | None) -> str:
    """The words as a sentence: a full stop added only when they do not already end in one (or ! ? :)."""
    words = (text or "").strip()
    return words if not words or words.endswith(ENDINGS) else words + "."
