"""Demo organisations shaped like each preset's own (issue 19): the people who hold every role and
chair every body the preset uses, and a register of documents of its types and categories.

NCT's demo stays in services/demo.py; each other preset has a module here with PEOPLE (id, name,
job title, service area, roles) and DOCUMENTS (title, type label, category, service area, owner id,
sign-off id, summary, months since last reviewed). Every name is invented; every address is at
example.org. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.demos import bct, dorset, lbbd


@dataclass(frozen=True)
class DemoOrg:
    key: str
    organisation: str
    people: tuple[tuple[str, str, str, str, list[str]], ...]
    documents: tuple[tuple[str, str, str, str, str | None, str, str, int], ...]
    prefix: str = "PP"


ORGS: dict[str, DemoOrg] = {
    m.KEY: DemoOrg(m.KEY, m.ORGANISATION, tuple(m.PEOPLE), tuple(m.DOCUMENTS)) for m in (bct, lbbd, dorset)
}
