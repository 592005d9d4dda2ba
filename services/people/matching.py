"""Matching a name or email typed in a spreadsheet to one person in the directory.

Email first; then the name however it is written ('Smith, Jane', 'jane smith', 'J. Smith');
then near misses ('Jane Smyth') when exactly one person is close. Two people who could both be
meant is never guessed: it is reported as ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from governance.dates import collapse
from services.register.cells import looks_like_email, norm_name
from services.work import PersonRow

NEAR_MISS = 88  # token_sort_ratio out of 100: "Jamie Castelan" ~ "Jamie Castellan"
CLEAR_LEAD = 4  # the best near miss must beat any other person by this much


class PersonProblem(ValueError):
    """The text names nobody in the directory, or more than one person."""


@dataclass(frozen=True)
class Match:
    person: PersonRow  # store Person
    how: str  # email | name | initials | near


class Directory:
    def __init__(self, people: Iterable[PersonRow]) -> None:
        self.people = list(people)
        self.by_id = {p.id: p for p in self.people}
        self.by_email = {p.email.strip().lower(): p for p in self.people if p.email}
        self.by_name: dict[str, list[Any]] = defaultdict(list)
        for p in self.people:
            self.by_name[norm_name(p.name)].append(p)
        self._names = list(self.by_name)

    @staticmethod
    def _describe(people: Iterable[PersonRow]) -> str:
        return " or ".join(f"{p.name} ({p.email})" if p.email else p.name for p in people)

    def _one(self, candidates: list[Any], shown: str, how: str) -> Match:
        active = [p for p in candidates if p.active]
        if len(active) == 1:
            return Match(active[0], how)
        if len(active) > 1:
            raise PersonProblem(f"'{shown}' could be {self._describe(active)}: use their email address")
        if len(candidates) == 1:
            raise PersonProblem(f"'{shown}' ({candidates[0].name}) has left: their account is disabled in the directory")
        raise PersonProblem(f"'{shown}' could be {self._describe(candidates)}, and none of them is active")

    def match(self, text: str) -> Match:
        shown = collapse(text)
        if looks_like_email(shown.strip("<>")):
            person = self.by_email.get(shown.strip("<>").lower())
            if person is None:
                raise PersonProblem(f"'{shown}' is not in the directory")
            return self._one([person], shown, "email")
        key = norm_name(shown)
        if not key:
            raise PersonProblem(f"'{shown}' is not a name")
        if key in self.by_name:
            return self._one(self.by_name[key], shown, "name")
        tokens = key.split()
        if len(tokens) >= 2 and all(len(t) == 1 for t in tokens[:-1]):
            found = [p for n, ps in self.by_name.items() for p in ps
                     if n.split()[-1] == tokens[-1] and n.split()[0].startswith(tokens[0])]
            if found:
                return self._one(found, shown, "initials")
        scored = process.extract(key, self._names, scorer=fuzz.token_sort_ratio, limit=5)
        close = [(name, score) for name, score, _ in scored if score >= NEAR_MISS]
        if not close:
            raise PersonProblem(f"'{shown}' is not in the directory")
        best = close[0][1]
        rivals = [p for name, score in close if score > best - CLEAR_LEAD for p in self.by_name[name]]
        return self._one(rivals, shown, "near")
