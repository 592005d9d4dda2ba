"""When a Group's tracked action is due, and when an overdue one is chased. Pure: dates in, a date or a
yes/no out.

DOR-14 (Dorset's terms of reference, 3 viii): "Identify any training or system changes required by
the adoption of a new or revised governance document, and work with colleagues to implement these."
Each form, training and system change an approved document needs becomes an action of the Group,
followed up in the Chair's progress report of outstanding actions (DOR-9) at the Group's next
meeting. The Group meets monthly (DOR-7: the second Tuesday of each month but August and December),
so when no next meeting is written down the action is due four weeks on, about one meeting's
interval (the seed names no figure: this is the product's choice).

Forms and system changes are the systems lead's actions (Dorset's Mosaic Lead, where someone holds
the role); training, and everything when nobody does, is the document owner's.

An overdue action is chased weekly, as conditions are.
"""

from __future__ import annotations

from datetime import date, timedelta

DUE_WITHOUT_A_MEETING = timedelta(days=28)  # DOR-14: no next meeting known, about one monthly interval (DOR-7)
CHASE_EVERY = timedelta(days=7)  # an overdue action is chased weekly, like conditions
SYSTEMS_LEAD = "systems_lead"  # DOR-14: owns the forms and system changes a document needs
TRAINING = "Training"  # the kind of implementation action that stays with the document's owner


def implementation_action_due(today: date, current_meeting: date, following_meeting: date | None) -> date:
    """DOR-14: the day a form, training or system change needed by a document approved today is
    due. Approved between meetings (the current meeting is still ahead): by that meeting, whose
    progress report lists it. Approved at the meeting (it is today or past): by the one after, or,
    with none written down, DUE_WITHOUT_A_MEETING from today."""
    if current_meeting > today:
        return current_meeting
    return following_meeting if following_meeting is not None else today + DUE_WITHOUT_A_MEETING


def chase_due(due_on: date | None, last_chased_on: date | None, today: date) -> bool:
    """Whether an open action is chased today: past its due day, and not chased in the last week."""
    return due_on is not None and due_on < today and (last_chased_on is None or today - last_chased_on >= CHASE_EVERY)


def implementation_action_owner(kind: str, systems_lead_id: str | None, document_owner_id: str | None) -> str | None:
    """DOR-14: who owns an implementation action: a form or a system change is the systems lead's,
    where someone holds that role; training (and anything when nobody does) is the document owner's."""
    return systems_lead_id if systems_lead_id and kind != TRAINING else document_owner_id
