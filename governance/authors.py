"""LBBD-3: who appoints a document's author. Pure.

The seed (LBBD's development process, step 3 "Appoint an author"): "Stakeholders to decide who the
policy/procedure author will be, depending on experience and demand." The stakeholders are the
lead stakeholder (an organisation-wide role, LBBD-2) and the stakeholders named on the document's
request (case.participants["stakeholder"] of its open cases, LBBD-2). Nobody else appoints one.

A process without a lead stakeholder role does not appoint authors: there the owner changes as its
own rules say (NCT-1's change of RO).
"""

from __future__ import annotations

from collections.abc import Iterable

from governance.case_model import Case
from governance.joint_need import named_stakeholders

AUTHOR_DECIDERS = frozenset({"stakeholder_lead"})  # LBBD-3: "Stakeholders to decide who the ... author will be"


def appoints_authors(preset_roles: Iterable[str]) -> bool:
    """LBBD-3: whether the process has stakeholders who decide the author (its preset declares
    every role in AUTHOR_DECIDERS)."""
    return AUTHOR_DECIDERS <= set(preset_roles)


def stakeholders_deciding(open_cases: Iterable[Case]) -> frozenset[str]:
    """The people named as stakeholders on any of the document's open cases (LBBD-2, LBBD-3)."""
    return frozenset(p for case in open_cases for p in named_stakeholders(case))


def decides_the_author(person_id: str, roles: Iterable[str], open_cases: Iterable[Case]) -> bool:
    """LBBD-3: the stakeholders decide who the author is: the lead stakeholder, or a stakeholder
    named on the request of one of the document's open cases."""
    return bool(AUTHOR_DECIDERS & set(roles)) or person_id in stakeholders_deciding(open_cases)
