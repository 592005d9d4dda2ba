"""DOR-3: the review schedule a deciding body agrees with its approval."""

from __future__ import annotations

import re

from governance.calendar import ReviewInterval
from governance.case_model import Case

_REVIEW_IN = re.compile(r"\breview(?:ed)?\s+(?:schedule\s*:?\s*)?(?:in|every|after|of)?\s*(\d{1,2})\s*months?\b", re.IGNORECASE)


def agreed_interval(case: Case) -> ReviewInterval | None:
    """DOR-3: the review schedule the deciding body agreed with its approval ('approve case 4: review
    in 6 months'); the latest one said wins. None: the document type's own interval (the default)."""
    for d in reversed(case.decisions):
        m = _REVIEW_IN.search(d.note or "")
        if m and 1 <= int(m.group(1)) <= 60:
            return ReviewInterval(int(m.group(1)))
    return None
