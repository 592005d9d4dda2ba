"""The words organisations use in their trackers: headings, statuses, document types, placeholders.

Headings are matched by meaning: a vocabulary per field (what people write at the top of a
column), abbreviations expanded, then fuzzy matching (rapidfuzz) for spellings the vocabulary
does not hold, each with a confidence out of 100. Pure: no I/O.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from services.register.cells import norm_heading

# field -> headings that mean it (compared after norm_heading and abbreviation expansion)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "ref number", "reference number", "document ref", "document reference",
            "procedure ref", "procedure number", "document number", "document id", "id", "number", "doc id",
            "policy number", "policy ref", "chapter number", "unique reference"),
    "title": ("title", "document title", "document name", "name", "procedure", "procedure title", "procedure name",
              "policy", "policy title", "policy name", "document", "policy procedure", "chapter", "chapter title",
              "name of document", "title of document", "procedure guidance", "name of procedure", "title of procedure"),
    "doc_type": ("type", "document type", "type of document", "kind", "format", "category of document",
                 "policy type", "procedure type"),
    "category": ("category", "document category", "procedure category", "theme", "topic", "section", "manual section"),
    "service_area": ("service area", "service", "area", "team", "directorate", "service team", "department",
                     "division", "business area"),
    "manual_url": ("manual link", "url", "link", "manual url", "web link", "hyperlink", "location", "link to manual",
                   "manual", "web address", "link to document", "where published", "sharepoint link"),
    "ro": ("responsible officer", "ro", "owner", "document owner", "lead officer", "author", "ro name",
           "responsible officer name", "lead", "policy owner", "procedure owner", "lead author", "officer"),
    "ro_email": ("ro email", "responsible officer email", "owner email", "email of ro", "lead officer email"),
    "rsm": ("responsible strategic manager", "rsm", "strategic manager", "rsm name", "sign off", "signed off by",
            "responsible manager", "approver", "approving manager", "strategic lead", "sign off manager",
            "senior manager"),
    "rsm_email": ("rsm email", "responsible strategic manager email", "strategic manager email", "approver email"),
    "last_reviewed_on": ("last reviewed", "last review", "last review date", "date of last review", "date last reviewed",
                         "reviewed", "date reviewed", "last reviewed on", "review last", "previous review",
                         "last updated", "date last updated"),
    "next_review_due": ("next review to be completed by", "next review", "review due", "next review date",
                        "next review due", "review date", "due", "review by", "date of next review",
                        "next review by", "review next", "to be reviewed by", "review due date", "due for review"),
    "status": ("status", "document status", "current status", "state", "rag status"),
    "version": ("version", "version number", "v", "issue", "issue number"),
    "approved_on": ("approved", "approved on", "date approved", "approval date", "approved date", "date of approval",
                    "signed off", "date signed off", "sign off date"),
    "summary": ("summary", "description", "purpose", "scope", "brief description", "overview"),
}
IGNORED = ("review state",)  # worked out from the other columns by our own export: never imported

ABBREVIATIONS = {"rev": "review", "doc": "document", "no": "number", "num": "number", "nbr": "number",
                 "resp": "responsible", "mgr": "manager", "mngr": "manager", "dt": "date",
                 "desc": "description", "ver": "version", "svc": "service", "dept": "department", "proc": "procedure",
                 "cat": "category", "strat": "strategic", "docs": "document"}

FIELD_LABELS = {
    "ref": "Ref", "title": "Title", "doc_type": "Type", "category": "Category", "service_area": "Service area",
    "status": "Status", "version": "Version", "ro": "Responsible Officer", "ro_email": "RO email",
    "rsm": "Responsible Strategic Manager", "rsm_email": "RSM email", "approved_on": "Approved",
    "last_reviewed_on": "Last reviewed", "next_review_due": "Next Review To Be Completed By",
    "manual_url": "Manual link", "summary": "Summary",
}
DATE_FIELDS = ("approved_on", "last_reviewed_on", "next_review_due")
PERSON_FIELDS = ("ro", "rsm", "ro_email", "rsm_email")
TEXT_LIMITS = {"ref": 32, "title": 300, "doc_type": 64, "category": 200, "service_area": 200, "version": 32,
               "manual_url": 1000}

FUZZY_AT = 88  # token_sort_ratio out of 100 for a heading the vocabulary does not hold
CLEAR_LEAD = 5  # the best field must beat any other field by this much

STATUS_WORDS = {
    "published": ("published", "current", "live", "active", "approved", "in date", "in use", "up to date", "complete",
                  "completed", "overdue", "due", "due for review", "ok", "final", "issued", "in force"),
    "draft": ("draft", "in draft", "new", "in development", "drafting", "not started", "proposed", "being written"),
    "under_review": ("under review", "in review", "being reviewed", "reviewing", "review in progress", "in progress",
                     "with ro", "with rsm", "out for consultation", "consultation", "awaiting approval", "pending",
                     "awaiting sign off", "review underway"),
    "retired": ("retired", "archived", "withdrawn", "superseded", "deleted", "removed", "obsolete", "no longer needed",
                "no longer required", "rescinded"),
}
STATUS_LABELS = {"published": "Published", "draft": "Draft", "under_review": "Under review", "retired": "Retired"}
KNOWN_TYPES = ("Policy", "Strategy", "Procedure", "Protocol", "Practice Guidance", "Pathway", "Practice Standards",
               "Guidance")
TYPE_ABBREVIATIONS = {"pg": "Practice Guidance", "proc": "Procedure", "pol": "Policy", "ps": "Practice Standards",
                      "prot": "Protocol", "guidance note": "Practice Guidance", "practice guide": "Practice Guidance",
                      "strat": "Strategy"}

# What people write in a person's cell when there is nobody (NCT-1: the RSM stands in as RO).
PLACEHOLDERS = ("vacant", "tbc", "tba", "tbd", "to be confirmed", "to be agreed", "post advertised", "vacant post",
                "post vacant", "vacancy", "recruiting", "recruitment underway", "awaiting appointment", "unassigned",
                "not assigned", "none", "n a", "nobody", "interim tbc", "being recruited")
PLACEHOLDER_WORDS = {"vacant", "vacancy", "advertised", "tbc", "recruiting", "recruitment"}
JOINT_SPLIT = re.compile(r"\s*(?:/|&|;|\+|\n|\band\b)\s*", re.IGNORECASE)


def _expand(key: str) -> str:
    return " ".join(ABBREVIATIONS.get(t, t) for t in key.split())


_EXACT: dict[str, str] = {}
for _f, _words in SYNONYMS.items():
    for _w in (_f.replace("_", " "), *_words):
        _EXACT.setdefault(_expand(norm_heading(_w)), _f)
for _w in IGNORED:
    _EXACT[_expand(norm_heading(_w))] = "ignore"
_PHRASES = sorted(((k, f, tuple(k.split())) for k, f in _EXACT.items() if f != "ignore"), key=lambda x: -len(x[2]))
_KEYS = list(_EXACT)
_STATUS = {norm_heading(w): s for s, words in STATUS_WORDS.items() for w in (s.replace("_", " "), *words)}


def _with_email(field: str, tokens: set[str]) -> str:
    if field in ("ro", "rsm") and ("email" in tokens or "mail" in tokens):
        return f"{field}_email"
    return field


def heading_field(text: str) -> tuple[str | None, int]:
    """(field or "ignore" or None, confidence 0-100) for a heading as written."""
    key = _expand(norm_heading(text))
    if not key:
        return None, 0
    if key in _EXACT:
        return _EXACT[key], 100
    tokens = set(key.split())
    # "Responsible Officer (RO)", "Review due [date]": the words outside or inside the brackets.
    plain = re.sub(r"[\(\[].*?[\)\]]", " ", str(text))
    inside = " ".join(re.findall(r"[\(\[](.*?)[\)\]]", str(text)))
    for variant in (plain, inside):
        v = _expand(norm_heading(variant))
        if v and v != key and v in _EXACT:
            return _with_email(_EXACT[v], tokens), 95
    # A spelling the vocabulary does not hold: "Responsable Oficer", "Next reveiw date".
    found = process.extract(key, _KEYS, scorer=fuzz.token_sort_ratio, limit=8)
    if found and found[0][1] >= FUZZY_AT:
        best_field, best = _EXACT[found[0][0]], found[0][1]
        rival = max((s for k, s, _i in found if _EXACT[k] != best_field), default=0)
        if best - rival >= CLEAR_LEAD:
            return _with_email(best_field, tokens), int(best)
    # The longest phrase of ours inside a longer heading: "Date of next review (to be completed by)".
    for _key, field, words in _PHRASES:
        if len(words) < 2 and len(tokens) > 3:
            break
        if set(words) <= tokens:
            rivals = {f for k, f, w in _PHRASES if len(w) == len(words) and set(w) <= tokens}
            if len(rivals) == 1:
                return _with_email(field, tokens), 80 if len(words) > 1 else 70
            return None, 0
    return None, 0


def status_of(text: str, extra: dict[str, str] | None = None) -> str | None:
    key = norm_heading(text)
    if extra and key in extra:
        return extra[key]
    return _STATUS.get(key)


def type_of(text: str, known: dict[str, str]) -> str | None:
    """The register's spelling of a document type, or None when it is not one we know."""
    key = norm_heading(text)
    if key in known:
        return known[key]
    if key in TYPE_ABBREVIATIONS:
        return TYPE_ABBREVIATIONS[key]
    if key.endswith("s") and key[:-1] in known:
        return known[key[:-1]]
    return None


def is_placeholder(text: str) -> bool:
    key = norm_heading(text)
    return key in PLACEHOLDERS or bool(set(key.split()) & PLACEHOLDER_WORDS)


def split_people(text: str) -> list[str]:
    """'A / B', 'A & B', 'A; B', 'A and B': several people; 'Smith, Jane' stays one."""
    return [p for p in JOINT_SPLIT.split(text) if p.strip()]
