"""What a person typed, made comparable: lower case, no punctuation, contractions opened, US spellings
made UK, and the shorthand of social care and of hurried typing spelt out. Pure.

Slots (document references, case numbers, dates) are read from the text before this runs
(dialogs/slots.py), so 'cp' here is child protection, never a document prefix.
"""

from __future__ import annotations

import re
import unicodedata

CONTRACTIONS = {
    "what's": "what is", "whats": "what is", "where's": "where is", "wheres": "where is", "who's": "who is",
    "whos": "who is", "how's": "how is", "when's": "when is", "it's": "it is", "that's": "that is",
    "thats": "that is", "there's": "there is", "theres": "there is", "here's": "here is", "let's": "let us",
    "i've": "i have", "ive": "i have", "i'm": "i am", "im": "i am", "i'd": "i would", "i'll": "i will",
    "we've": "we have", "we're": "we are", "we'd": "we would", "we'll": "we will", "you're": "you are",
    "you've": "you have", "they've": "they have", "they're": "they are",
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not", "didn't": "did not",
    "didnt": "did not", "can't": "cannot", "cant": "cannot", "won't": "will not", "wont": "will not",
    "isn't": "is not", "isnt": "is not", "aren't": "are not", "arent": "are not", "hasn't": "has not",
    "hasnt": "has not", "haven't": "have not", "havent": "have not", "wasn't": "was not", "weren't": "were not",
    "shouldn't": "should not", "couldn't": "could not", "wouldn't": "would not", "needn't": "need not",
}

# US -> UK (the presets and the manual are written in UK English)
SPELLING = {
    "organization": "organisation", "organizations": "organisations", "authorize": "authorise",
    "authorized": "authorised", "prioritize": "prioritise", "center": "centre", "program": "programme",
    "behavior": "behaviour", "behaviors": "behaviours", "canceled": "cancelled", "canceling": "cancelling",
    "analyze": "analyse", "summarize": "summarise", "summarized": "summarised", "apologize": "apologise",
    "favorite": "favourite", "color": "colour", "defense": "defence", "enroll": "enrol", "labor": "labour",
    "recognize": "recognise", "finalize": "finalise", "finalized": "finalised", "finalise": "finalise",
    "criticize": "criticise", "utilize": "utilise", "catalog": "catalogue", "judgment": "judgement",
    "standardize": "standardise", "customize": "customise", "emphasize": "emphasise", "minimize": "minimise",
    "scheduling": "scheduling", "license": "licence", "neighbor": "neighbour", "honor": "honour",
}

SHORTHAND = {
    "pls": "please", "plz": "please", "plse": "please", "pleaase": "please", "thx": "thanks", "thnx": "thanks",
    "thanx": "thanks", "ty": "thank you", "ta": "thanks", "cheers": "thanks", "asap": "as soon as possible",
    "s47": "section 47", "s17": "section 17", "s20": "section 20", "s31": "section 31",
    "cp": "child protection", "cpp": "child protection plan", "cin": "child in need",
    "lac": "looked after children", "cla": "looked after children", "dols": "deprivation of liberty safeguards",
    "lado": "lado", "u": "you", "ur": "your", "r": "are", "docs": "documents", "doc": "document",
    "info": "information", "mtg": "meeting", "mtgs": "meetings", "mins": "minutes", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tomoz": "tomorrow", "2day": "today", "b4": "before", "w/": "with", "wrt": "about",
    "re": "about", "abt": "about", "pw": "pathway", "todo": "to do", "todos": "to dos", "whats": "what is",
    "proc": "procedure", "procs": "procedures", "pol": "policy", "n": "and", "&": "and", "+": "and",
    "cos": "because", "coz": "because", "bc": "because", "btw": "by the way", "fyi": "for your information",
    "yr": "year", "wks": "weeks", "wk": "week", "approvals": "approvals", "ok'd": "approved", "okd": "approved",
    "okay": "ok", "k": "ok", "nevermind": "never mind", "nvm": "never mind", "hiya": "hi", "heya": "hi", "howdy": "hi",
    "nudge": "reminder", "nudges": "reminders", "notification": "reminder", "notifications": "reminders",
    "changelog": "changes", "edits": "changes", "edited": "changed", "modified": "changed", "amended": "changed",
    "chaser": "reminder", "chasers": "reminders", "prompts": "reminders", "yeah": "yes", "yep": "yes", "yup": "yes", "ya": "yes", "nah": "no", "nope": "no",
}

# Social-care terms whose words would otherwise read as a command ('early help' is a service, not a plea)
PHRASES = {"early help": "earlyhelp", "help desk": "helpdesk", "family help": "familyhelp",
           "case conference": "caseconference", "case management": "casemanagement", "case notes": "casenotes",
           "case file": "casefile", "case recording": "caserecording", "case audit": "caseaudit"}
# Ways of saying one thing that a command's examples say once ('out of date' is overdue)
SAME = {"out of date": "overdue", "past due": "overdue", "past its review date": "overdue",
        "past their review date": "overdue", "past the review date": "overdue", "lapsed": "overdue",
        "not been reviewed on time": "overdue", "hasn't been reviewed": "overdue", "haven't been reviewed": "overdue",
        "not been reviewed": "overdue", "not reviewed": "overdue", "out-of-date": "overdue", "expired": "overdue",
        "past review date": "overdue", "past their review": "overdue", "past its review": "overdue", "stale": "overdue",
        "behind on reviews": "overdue reviews", "behind with reviews": "overdue reviews", "overran": "overdue",
        "slipped": "overdue", "late": "overdue", "outstanding reviews": "overdue reviews", "reviews outstanding": "overdue reviews", "gone past": "overdue", "compliant": "compliance",
        "statistics": "stats", "figures": "stats", "numbers": "stats", "to-do": "to do", "todo list": "to do list",
        "sign-off": "sign off", "signoff": "sign off", "ping": "message", "pinging": "messaging", "pings": "messages"}
PHRASES.update(SAME)
_PHRASE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")\b")

# Words that carry no meaning of their own here (weighted near zero when reading)
STOP_WORDS = frozenset(
    ["a", "an", "the", "to", "of", "for", "on", "in", "at", "is", "are", "be", "been", "am", "i", "me", "we", "us", "you", "your", "it", "its", "this", "that", "these", "those", "please", "could", "would", "can", "will", "just", "kindly", "so", "and", "or", "but", "now", "quickly", "do", "does", "did", "there", "here", "some", "any", "with", "by", "from", "about", "as", "up", "out", "if", "then", "than", "very", "really", "pretty", "policybot", "bot", "mate", "guys", "all", "my", "our", "lot", "lots", "loads", "bit", "much", "again",
     "thing", "things", "stuff", "sort", "kind", "able", "latest", "overall", "currently", "urgently", "urgent"])

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_WORD = re.compile(r"<[a-z]+>|[a-z0-9]+(?:'[a-z]+)?|[&+]")


def tidy(text: str) -> str:
    """Unicode made plain (NFKC), curly quotes straight, white space collapsed; case kept."""
    text = unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """The words of a text, made comparable (see the module's note). Placeholders such as <case>
    (put there by dialogs/slots.py) are kept whole."""
    out: list[str] = []
    low = _PHRASE.sub(lambda m: PHRASES[m.group(1)], tidy(text).lower())
    for w in _WORD.findall(low):
        w = CONTRACTIONS.get(w, w)
        if w.endswith("'s") and " " not in w:
            w = w[:-2]
        w = w.replace("'", "")
        w = SPELLING.get(w, w)
        w = SHORTHAND.get(w, w)
        out.extend(w.split())
    return out


def normalise(text: str) -> str:
    return " ".join(words(text))


# ------------------------------------------------------------------ words as the recogniser weighs them

PLACEHOLDER = re.compile(r"^<[a-z]+>$")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def stem(word: str) -> str:
    if PLACEHOLDER.match(word) or word.isdigit():
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]  # the plural first: 'evenings' and 'evening' are one word
    if len(word) > 6 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) >= 5 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


STOPWORDS = frozenset(stem(w) for w in STOP_WORDS)
# question words say a question is asked, not which command: 'who owns the overdue ones' is not 'who are you'
INTERROGATIVES = frozenset(stem(w) for w in ["what", "which", "who", "how", "where", "when", "why", "many"])

# ('morning' and 'evening' are not among them: 'no reminders in the evening' means it; 'good evening' is small talk by its example)
POLITE = frozenset(stem(w) for w in ["ok", "thanks", "thank", "you", "cheers", "hi", "hello", "hey", "please", "sorry", "great", "lovely", "brilliant"])


def mixed_scripts(text: str) -> bool:
    """Letters from more than one script, with little English in them (we answer in English)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if _LATIN.match(ch))
    return latin / len(letters) < 0.5
