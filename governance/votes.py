"""Votes as people type them (DOR-4): '6-2', '4 for, 3 against', 'four in favour and three opposed'. Pure."""

from __future__ import annotations

import re

from governance.errors import MissingInformation


_NUMBER_WORDS = {w: i for i, w in enumerate(
    "nil one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {"none": 0, "no": 0, "zero": 0}
_N = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_FOR = r"(?:for|in favour|in favor|yes|ayes?)"
_AGAINST = r"(?:against|opposed|no(?:es)?)"


def _n(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def read_votes(text: str | None) -> tuple[int | None, int | None]:
    """The votes for and against as typed: '6-2', '6 to 2', '4 for, 3 against', 'four in favour and
    three opposed', 'for 4 against 3'. Either may be None when it was not said."""
    low = (text or "").lower()
    labelled = re.search(rf"\b{_FOR}\s*:?\s*{_N}\W+(?:and\s+)?{_AGAINST}\s*:?\s*{_N}\b", low)
    if labelled:
        return _n(labelled.group(1)), _n(labelled.group(2))
    pair = re.search(rf"\b{_N}\s*(?:-|–|to|:|/)\s*{_N}\b", low)
    if pair and not re.search(rf"\b{_N}\s+{_FOR}", low):
        return _n(pair.group(1)), _n(pair.group(2))
    for_ = re.search(rf"\b{_N}\s+(?:votes?\s+|people\s+|members?\s+)?{_FOR}\b|\b{_FOR}\s*:?\s*{_N}\b", low)
    against = re.search(rf"\b{_N}\s+(?:votes?\s+|people\s+|members?\s+)?{_AGAINST}\b|\b{_AGAINST}\s*:?\s*{_N}\b", low)

    def num(m: re.Match[str] | None) -> int | None:
        return _n(next(g for g in m.groups() if g)) if m else None
    return num(for_), num(against)


def votes_needed(text: str | None) -> tuple[int, int]:
    """Both numbers, or a sentence saying exactly which is missing."""
    for_, against = read_votes(text)
    if for_ is None and against is None:
        raise MissingInformation("Please give the votes for and against, for example '4 for, 3 against'.")
    if against is None:
        raise MissingInformation(f"I have {for_} for; how many voted against? For example '{for_} for, 0 against'.")
    if for_ is None:
        raise MissingInformation(f"I have {against} against; how many voted for? For example '5 for, {against} against'.")
    return for_, against
