"""Which command did the person mean? Built from the command table (dialogs/commands.py). Pure.

1. Slots are read and replaced by placeholders (dialogs/slots.py); what follows a colon is the
   person's payload and is not scored.
2. The words are normalised (dialogs/normalise.py) and lightly stemmed; a word the table does not
   know is corrected to the nearest word it does know when it is close enough (rapidfuzz), and the
   correction is remembered: a corrected reading of a state-changing command is only offered.
3. Each command is scored: how much of its best-matching example the message contains (words
   weighted by how few commands use them), and how much of the message its words explain.
4. The reading says what to do: act, confirm (a state-changing command read by a guess or a
   correction), choose (two or three readings are close), or question (nothing scores well: the
   message goes to the manual and register search).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs import slots as slot_reader
from dialogs.commands import TABLE, Command
from dialogs.normalise import INTERROGATIVES, PLACEHOLDER, POLITE, STOPWORDS, stem, tokens
from dialogs.normalise import words as norm_words
from dialogs.titles import TitleIndex

ACT = 0.70  # at or above (with a clear margin): act
ACT_READ = 0.65  # the same for a command that only reads (a wrong guess costs a glance, not a decision)
SURE = 0.85  # a state-changing command is acted on only at or above this, with nothing corrected
MARGIN = 0.08  # the best reading must lead the next command by this much to be acted on
OFFER = 0.45  # between OFFER and ACT: offer the best two or three readings
MAX_CHARS = 2000
QUIET = frozenset({"smalltalk", "help", "cancel", "find", "define"})  # never "a second command"
QUESTIONISH = frozenset({"smalltalk", "help", "find", "define"})  # a close call among these is a question  # longer messages are read by their beginning only (the rest is rambling)

_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUESTION_START = re.compile(
    r"^(what|whats|how|where|wheres|when|who|why|which|is there|are there|do we|do i|does|can i|should|have we|"
    r"has|is it|is a|are|what's|where's|how's)\b", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:;|\band then\b|\bthen\b|\band also\b|\bafter that\b|\band\b|\.\s+|,\s+)\s*", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]")
_REFS = ("doc", "case", "item", "action")  # the needs a message names (a document, a case, an item, an action)


@dataclass(frozen=True)
class Example:
    command: Command
    weights: dict[str, float]
    total: float


class Candidate(NamedTuple):  # a hundred are made for every message read: a tuple is the cheapest
    command: Command
    score: float


@dataclass
class Reading:
    kind: str  # act | confirm | choose | question | empty | bad
    command: Command | None
    score: float
    slots: slot_reader.Slots
    corrections: tuple[tuple[str, str], ...] = ()
    candidates: tuple[Candidate, ...] = ()
    missing: tuple[str, ...] = ()  # slots the command needs and the message did not give
    also: str = ""  # a second command in the same message (done first, said so)
    topic: str = ""  # for a question: what it is about
    match: dict[str, str] = field(default_factory=dict)  # the exact form's groups, when it matched

    @property
    def guessed(self) -> bool:
        return bool(self.corrections) or self.score < SURE or self.kind == "confirm"


class Recogniser:
    def __init__(self, table: Sequence[Command] = TABLE) -> None:
        self.table = tuple(table)
        df: dict[str, int] = {}
        raw: list[tuple[Command, list[str]]] = []
        for c in self.table:
            seen: set[str] = set()
            for ex in c.examples:
                toks = tokens(slot_reader.read(_BRACKETS.sub(" ", ex)).text) + (["<topic>"] if _BRACKETS.search(ex) else [])
                raw.append((c, toks))
                seen.update(toks)
            for t in seen:
                df[t] = df.get(t, 0) + 1
        n = len(self.table)
        self.idf = {t: (0.08 if t in STOPWORDS else min(0.3, math.log((n + 1) / (d + 0.5))) if t in INTERROGATIVES
                        else math.log((n + 1) / (d + 0.5)))
                    for t, d in df.items()}
        self.vocab = tuple(sorted(t for t in df if len(t) >= 3 and not PLACEHOLDER.match(t)))
        self.examples: list[Example] = []
        self.command_words: dict[str, set[str]] = {}
        for c, toks in raw:
            ws = {t: self.idf[t] for t in toks}
            # pairs add to a match but are not required of one
            self.examples.append(Example(c, ws, sum(ws.values()) or 1.0))
            self.command_words.setdefault(c.id, set()).update(toks)
        self._unknown = max(self.idf.values()) * 0.6
        self.by_token: dict[str, list[tuple[int, float]]] = {}
        for i, example in enumerate(self.examples):
            for t, w in example.weights.items():
                self.by_token.setdefault(t, []).append((i, w))
        self.by_letter: dict[str, tuple[str, ...]] = {}
        for t in self.vocab:
            self.by_letter[t[0]] = self.by_letter.get(t[0], ()) + (t,)
        self.decision_words = sorted(((c.say.split(" case")[0], c) for c in self.table if c.action),
                                     key=lambda p: -len(p[0]))
        self._scoring = False  # the arrays below are built with the first message (see _index_for_scores)

    def _index_for_scores(self) -> None:
        """Arrays for `scores`, which reads every message against every example (over a thousand): per
        word, the examples using it and its weight in each; the examples' totals; where each command's
        examples start (they are grouped by command, in table order); per word, the commands using it.
        Built with the first message: numpy (~11 MB) is not loaded by an idle server (issue 22 item 8)."""
        import numpy as np  # see the docstring
        self._totals = np.array([ex.total for ex in self.examples])
        self._by_token_arrays = {t: (np.array([i for i, _ in pairs], dtype=np.intp), np.array([w for _, w in pairs]))
                                 for t, pairs in self.by_token.items()}
        owners = [ex.command.id for ex in self.examples]
        firsts = [i for i, cid in enumerate(owners) if i == 0 or owners[i - 1] != cid]
        if len({owners[i] for i in firsts}) != len(firsts):  # pragma: no cover - built from TABLE in order
            raise ValueError("a command's examples must be listed together")
        self._example_starts = np.array(firsts, dtype=np.intp)
        position = {c.id: n for n, c in enumerate(self.table)}
        self._example_owners = np.array([position[owners[i]] for i in firsts], dtype=np.intp)
        having: dict[str, list[int]] = {}
        for n, c in enumerate(self.table):
            for t in self.command_words.get(c.id, ()):
                having.setdefault(t, []).append(n)
        self._commands_of = {t: np.array(ns, dtype=np.intp) for t, ns in having.items()}
        # Which references each command needs, and whether a document named to it counts against it.
        self._needs = {n: np.array([n in c.needs for c in self.table]) for n in _REFS}
        self._needs_any = np.array([any(n in c.needs for n in _REFS) for c in self.table])
        self._plain = np.array([not c.action and c.id not in QUESTIONISH for c in self.table])
        self._keys = [c.action or c.id for c in self.table]
        self._scoring = True

    # ---------------------------------------------------------------- words

    @lru_cache(maxsize=4096)  # noqa: B019 - the recogniser lives as long as the process
    def _correct(self, word: str) -> str | None:
        if len(word) < 4 or word.isdigit() or PLACEHOLDER.match(word):
            return None
        allowed = 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3
        found = process.extractOne(word, self.by_letter.get(word[0], ()), scorer=OSA.distance, score_cutoff=allowed)
        # a typo keeps its first letter: 'prefer' is not a misspelt 'refer'
        return found[0] if found else None

    def _words(self, text: str) -> tuple[list[str], list[tuple[str, str]]]:
        out, corrections = [], []
        for t in tokens(text):
            if t in self.idf or t in STOPWORDS or PLACEHOLDER.match(t):
                out.append(t)
                continue
            fixed = self._correct(t)
            if fixed:
                corrections.append((t, fixed))
                out.append(fixed)
            else:
                out.append(t)
        return out, corrections

    def scores(self, toks: Iterable[str], missing: slot_reader.Slots | None = None, *, typed_refs: bool = True) -> list[Candidate]:
        said = set(toks)
        if not said:
            return []
        import numpy as np  # loaded with the first message (see _index_for_scores)
        if not self._scoring:
            self._index_for_scores()
        weights = {t: self.idf.get(t, self._unknown) for t in said}
        total = sum(weights.values()) or 1.0
        # How much of each example the message has (its words' weights, added in the message's order),
        # and each command's best example; then how much of the message each command's words explain.
        matched = np.zeros(len(self.examples))
        for t in said:
            found = self._by_token_arrays.get(t)
            if found is not None:
                matched[found[0]] += found[1]
        best = np.zeros(len(self.table))
        best[self._example_owners] = np.maximum.reduceat(np.minimum(1.0, matched / self._totals), self._example_starts)
        explains = np.zeros(len(self.table))
        for t, w in weights.items():
            having = self._commands_of.get(t)
            if having is not None:
                explains[having] += w
        score = 0.6 * best + 0.4 * np.minimum(1.0, explains / total)
        if missing is not None:
            lacking = np.zeros(len(self.table), dtype=bool)
            for n in _REFS:
                if not _has(missing, n):
                    lacking |= self._needs[n]
            # it needs a reference the message does not give; or the reference it needs is there
            score = np.where(self._needs_any, np.where(lacking, score * 0.85, score + 0.08), score)
            if typed_refs and missing.refs:  # a document named to a command that takes none ('review PP-9, it's due' is not 'reviews due')
                score = np.where(~self._needs_any & self._plain, score * 0.9, score)
        order = np.argsort(-score, kind="stable").tolist()  # equal scores keep the table's order
        values = score.tolist()
        seen: set[str] = set()
        kept = []
        for n in order:  # one reading per decision: 'agree' and 'agree the need' are the same action
            key = self._keys[n]
            if key not in seen:
                seen.add(key)
                kept.append(Candidate(self.table[n], values[n]))
        return kept

    # ---------------------------------------------------------------- reading

    def read(self, text: str | None, *, prefixes: Iterable[str] = ("pp",),
             known_refs: dict[tuple[str, int], str] | None = None, card_case: int | None = None,
             titles: TitleIndex | None = None) -> Reading:
        said = (text or "").strip()
        if not said:
            return Reading("empty", None, 0.0, slot_reader.read(""))
        if len(said) > MAX_CHARS:
            said = said[:MAX_CHARS]
        if not _LETTERS.search(said) and not re.search(r"\d", said):
            return Reading("bad", None, 0.0, slot_reader.read(""))
        whole = self._read_one(said, prefixes, known_refs, card_case, titles)
        parts = [p for p in _SPLIT.split(said) if p and p.strip()]
        if 2 <= len(parts) <= 6 and ":" not in said:
            first = self._read_one(parts[0], prefixes, known_refs, card_case, titles)
            if first.kind in ("act", "confirm") and first.command is not None and not first.missing:
                for later in parts[1:]:
                    other = self._read_one(later, prefixes, known_refs, None)
                    if (other.kind in ("act", "confirm") and other.command and other.command.id != first.command.id
                            and other.command.id not in QUIET and first.command.id not in QUIET):
                        first.also = later.strip()
                        return first
        return whole

    def _exact(self, said: str) -> tuple[Command, dict[str, str]] | None:
        """The exact form of a command's arguments (its reader), with each group also in the
        person's own capitals under '@name'."""
        shown = re.sub(r"\s+", " ", said.replace("\u00a0", " ").strip())
        low = shown.lower()
        for c in self.table:
            if c.reader is not None:
                m = c.reader.match(low)
                if m:
                    groups = {k: v for k, v in m.groupdict().items() if v is not None}
                    if len(low) == len(shown):
                        groups.update({f"@{k}": shown[m.start(k):m.end(k)] for k in list(groups)})
                    if c.action and groups.get("text"):
                        longer = self._longer_decision(c, groups)
                        if longer is not None:
                            return longer
                    return c, groups
        return None

    def _longer_decision(self, c: Command, groups: dict[str, str]) -> tuple[Command, dict[str, str]] | None:
        """'approve case 6 with conditions: ...' is 'approve with conditions', not 'approve' with a note."""
        verb = c.say.split(" case")[0]
        said = f"{verb} {groups['text'].lower()}"
        for words, other in self.decision_words:
            if len(words) > len(verb) and said.startswith(words) and (len(said) == len(words) or not said[len(words)].isalnum()):
                rest = groups.get("@text", groups["text"])[len(words) - len(verb):].lstrip(" :-")
                return other, {**groups, "text": rest.lower(), "@text": rest}
        return None

    def reading_for(self, command: Command, said: str, *, prefixes: Iterable[str] = ("pp",),
                    known_refs: dict[tuple[str, int], str] | None = None, card_case: int | None = None) -> Reading:
        """The reading of a command the person chose or confirmed ('Yes' to "Did you mean ...?")."""
        slots = slot_reader.read(said, prefixes, known_refs)
        exact = self._exact(said)
        groups = exact[1] if exact is not None and exact[0].id == command.id else {}
        if card_case is not None and slots.case is None:
            slots.case = card_case
        if "case" in command.needs and slots.case is None and len(slots.numbers) == 1:
            slots.case = slots.numbers[0]
        missing = tuple(n for n in command.needs if not _has(slots, n))
        return Reading("act", command, 1.0, slots, missing=missing, match=groups)

    # The order of the readings is the policy (slots, exact, fuzzy, question, small talk): kept in
    # one function, read top to bottom, rather than spread over helpers.
    def _read_one(self, said: str, prefixes, known_refs, card_case: int | None,  # noqa: C901
                  titles: TitleIndex | None = None) -> Reading:
        slots = slot_reader.read(said, prefixes, known_refs)
        exact = self._exact(said)
        if exact is not None:
            command, groups = exact
            return Reading("act", command, 1.0, slots, match=groups)
        toks, corrections = self._words(slots.text)
        if toks and all(t in POLITE or t in STOPWORDS for t in toks) and any(t in POLITE for t in toks):
            talk = next(c for c in self.table if c.id == "smalltalk")
            return Reading("act", talk, 1.0, slots)  # pleasantries only: 'hey there', 'thanks so much'
        if card_case is not None and slots.case is None and not slots.refs and not slots.numbers and len(toks) <= 8:
            slots.case = card_case  # the case of the card (or email) being answered: 'approve' is 'approve case N'
            toks = toks + [stem("case"), "<case>"]
        number_as_case = slots.case is None and len(slots.numbers) == 1 and slots.item is None and slots.action is None
        if number_as_case:
            slots.case = slots.numbers[0]  # 'approve 12': a guess, confirmed before anything is done
        if any(t not in POLITE and t not in STOPWORDS for t in toks):
            toks = [t for t in toks if t not in POLITE]  # 'ok approve case 19 thanks' is not small talk
        if any(t not in self.idf and t not in STOPWORDS and t not in POLITE and not PLACEHOLDER.match(t) for t in toks):
            toks = toks + ["<topic>"]  # words no command uses: what a question or a search is about
        candidates = self.scores(toks, slots)
        if not slots.refs and titles is not None and candidates:
            said_words = norm_words(slots.text)
            near = [c for c in candidates if "doc" in c.command.needs and c.score >= 0.2][:3]
            for cand in near:
                mine = self.command_words[cand.command.id]
                found = titles.find([w for w in said_words if stem(w) not in mine and not PLACEHOLDER.match(w)]
                                    + [str(n) for n in slots.numbers])  # 'section 47' names one title
                if len(found) == 1:  # a unique part of one title: that document, if a command about one is meant
                    with_doc = [t for t in toks if t != "<topic>"] + ["<doc>"]
                    slots.refs.append(found[0])
                    rescored = self.scores(with_doc, slots, typed_refs=False)
                    runner = rescored[1].score if len(rescored) > 1 else 0.0
                    if "doc" in rescored[0].command.needs and rescored[0].score - runner >= MARGIN:
                        toks, candidates = with_doc, rescored
                    else:
                        slots.refs.clear()
                    break
                if len(found) > 1:
                    slots.ambiguous = found[:5]
        if not candidates:
            return Reading("question", None, 0.0, slots, topic=said)
        best = candidates[0]
        second = candidates[1] if len(candidates) > 1 else None
        margin = best.score - (second.score if second else 0.0)
        command = best.command
        if card_case is not None and slots.case is None and "case" in command.needs:
            slots.case = card_case
        if number_as_case:
            if "case" in command.needs and card_case is None:
                corrections = corrections + [("a number", "a case number")]
            elif "case" not in command.needs:
                slots.case = None
        missing = tuple(n for n in command.needs if not _has(slots, n))
        questionish = bool(_QUESTION_START.match(said.strip())) or said.strip().endswith("?")
        top = tuple(c for c in candidates[:3] if c.score >= OFFER and c.score >= best.score - 0.15)
        if slots.refs and command.id in QUESTIONISH:
            # a message naming a document is about that document
            about = next((c for c in candidates if "doc" in c.command.needs and c.score >= OFFER), None)
            if about is not None and not about.command.changes_state:
                best, command = Candidate(about.command, max(about.score, ACT)), about.command
                margin = MARGIN
        if slots.case is not None and not number_as_case and (command.id in QUESTIONISH or (
                "case" in command.needs and not command.changes_state)):
            about = next((c for c in candidates if "case" in c.command.needs and not c.command.changes_state
                          and c.score >= OFFER), None)
            if about is not None:  # "what's the latest on case 5?", "who is dealing with case 17": about the case
                best, command = Candidate(about.command, max(about.score, ACT)), about.command
                margin = MARGIN
        if command.id in ("find", "define"):  # the glossary, then the search (dialogs/router.py)
            return Reading("question", command, best.score, slots, tuple(corrections), top, topic=said)
        unknown = sum(1 for t in set(toks) if t not in self.idf and t not in STOPWORDS and not PLACEHOLDER.match(t))
        if command.id in ("smalltalk", "help") and unknown >= 2:
            return Reading("question", None, best.score, slots, tuple(corrections), top, topic=said)
        if best.score < OFFER or (missing and questionish and command.changes_state):
            return Reading("question", None, best.score, slots, tuple(corrections), top, topic=said)
        act_at = ACT if command.changes_state else ACT_READ
        if (questionish and not command.changes_state and command.id not in QUESTIONISH and unknown == 0
                and best.score >= ACT_READ - 0.05 and (second is None or second.command.id in QUESTIONISH or margin >= MARGIN / 2)):
            # a question made only of a command's own words asks for that command ('what should I be working on?'):
            # a question with words of its own ('... for a child missing from care?') is for the search
            return Reading("act", command, best.score, slots, tuple(corrections), top, missing)
        if best.score < act_at or margin < MARGIN:
            if command.id == "smalltalk" and unknown == 0 and not questionish:
                return Reading("act", command, best.score, slots, tuple(corrections), top)
            if {c.command.id for c in top} <= QUESTIONISH or (questionish and any(c.command.id == "find" for c in top)):
                return Reading("question", None, best.score, slots, tuple(corrections), top, topic=said)
            if questionish and slots.refs:
                about = next((c for c in top if "doc" in c.command.needs and not c.command.changes_state), None)
                if about is not None:  # 'has PP-2 been approved yet?' asks about the document
                    return Reading("act", about.command, about.score, slots, tuple(corrections), top)
            if questionish and not command.changes_state:
                return Reading("question", None, best.score, slots, tuple(corrections), top, topic=said)
            if len(top) >= 2:
                return Reading("choose", command, best.score, slots, tuple(corrections), top, missing)
            if questionish or command.changes_state and best.score < ACT:
                return Reading("question", None, best.score, slots, tuple(corrections), top, topic=said)
        kind = "act"
        if command.changes_state and (corrections or best.score < SURE or margin < MARGIN):
            kind = "confirm"
        return Reading(kind, command, best.score, slots, tuple(corrections), top, missing)


def _has(slots: slot_reader.Slots, need: str) -> bool:
    if need == "doc":
        return bool(slots.refs)
    if need == "date":
        return bool(slots.dates)
    if need == "payload":
        return bool(slots.payload)
    return getattr(slots, need, None) is not None


@lru_cache(maxsize=1)
def default() -> Recogniser:
    return Recogniser()
