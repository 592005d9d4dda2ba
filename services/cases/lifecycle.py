"""The lifecycle's use cases, gathered under one name for the conversation and the other
capabilities (`lifecycle.act`, `lifecycle.submit_draft`, `lifecycle.case_view`, `lifecycle.my_tasks`
...). They live by use case: `acting` (open, act), `closing` (close by the deadline), `submitting` (a draft
arrives) and `views` (what a person sees, their tasks, the cards sent to them).
"""

from __future__ import annotations

from governance.ownership import uses_rsm
from services.cases.acting import (
    Outcome,
    _people_for,
    act,
    act_in,
    start_case,
    start_new_document,
)
from services.cases.closing import SYSTEM, close_consultation_by_deadline
from services.cases.submitting import submit_draft
from services.cases.views import (
    DOCUMENT_ROLES,
    CardToRefresh,
    CaseView,
    _rsm_ids,
    actor_for,
    build_view,
    case_view,
    case_view_for_person,
    cards_to_refresh,
    my_tasks,
    record_sent_card,
    stale_cards_in,
    view_in,
    views_for_people,
)
from services.ports import Notice

__all__ = [
    "DOCUMENT_ROLES", "SYSTEM", "CardToRefresh", "CaseView", "Notice", "Outcome", "_people_for", "_rsm_ids", "act", "act_in", "actor_for",
    "build_view", "cards_to_refresh", "case_view", "case_view_for_person", "close_consultation_by_deadline",
    "my_tasks", "record_sent_card", "stale_cards_in", "start_case", "start_new_document", "submit_draft",
    "uses_rsm", "view_in", "views_for_people",
]
