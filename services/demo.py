"""A demo organisation, generated at first start: people in every role and a register of
documents with owners and review dates relative to today (some overdue, some due soon).

Every name is invented and every address is at example.org.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from governance.calendar import ReviewInterval, WorkingCalendar, add_months, next_review_due
from governance.dates import long_date
from services.context import Services
from services.demos import ORGS, DemoOrg
from services.work import Work

DEMO_KEY = "demo_loaded"
DEMO_NAMESPACE = uuid.UUID("6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11")
DEMO_TENANT = "00000000-0000-4000-8000-000000000001"

# (id, name, job title, service area, roles)
PEOPLE = [
    ("ppo", "Priya Patel-Owens", "Policy and Procedures Officer", "Practice Hub", ["ppo", "policy_service", "governance_officer", "member:ppp_group"]),
    ("rsm-safeguarding", "Morgan Reyes", "Head of Service, Safeguarding", "Safeguarding", ["hos", "rsm", "member:ppp_group"]),
    ("rsm-cla", "Jordan Whitfield", "Head of Service, Children in Care", "Children in Care", ["hos", "rsm", "member:ppp_group"]),
    ("rsm-early-help", "Casey Lindqvist", "Head of Service, Early Help", "Early Help", ["hos", "rsm", "member:ppp_group"]),
    ("rsm-adults", "Robin Achebe", "Head of Service, Adult Social Care", "Adults", ["hos", "rsm", "chair:omt", "member:omt"]),
    ("ad-children", "Sasha Okonkwo", "Assistant Director, Children's Social Care", "Children's Social Care", ["ad", "slt", "member:dlg", "chair:ppp_group", "member:ppp_group", "member:xcslt"]),
    ("ad-adults", "Taylor Brennan", "Assistant Director, Adults", "Adults", ["ad", "slt", "member:dlg", "stakeholder_lead", "chair:aib", "member:aib"]),
    ("director", "Avery Holm", "Director of Children's Services", "Directorate", ["slt", "director", "chair:dlg", "member:dlg", "member:executive_team", "chair:xcslt", "member:xcslt"]),
    ("chief-executive", "Kai Ferreira", "Chief Executive", "Directorate", ["slt", "chair:executive_team", "member:executive_team"]),
    ("head-qa", "Quinn Marsh", "Head of Quality Assurance", "Quality Assurance", ["head_of_qa", "qa_manager", "slt", "vice_chair:ppp_group", "member:ppp_group", "member:xcslt"]),
    ("qa-1", "Rowan Feld", "QA Manager", "Quality Assurance", ["qa_manager", "consultee", "member:ppp_group"]),
    ("ro-1", "Alex Dunmore", "Team Manager, MASH", "Safeguarding", ["ro"]),
    ("ro-2", "Jamie Castellan", "Service Manager, Fostering", "Children in Care", ["ro"]),
    ("ro-3", "Charlie Vance", "Team Manager, Leaving Care", "Children in Care", ["ro"]),
    ("ro-4", "Drew Ashby", "Practice Lead, Early Help", "Early Help", ["ro", "consultee"]),
    ("ro-5", "Elliot Marr", "Team Manager, Adult Safeguarding", "Adults", ["ro"]),
    ("ro-6", "Frankie Osei", "Principal Social Worker", "Children's Social Care", ["ro", "consultee"]),
    ("legal-1", "Harper Quayle", "Solicitor, Legal Services", "Legal Services", ["legal"]),  # LBBD-7
]

# (title, type, category, service area, ro person id or None, rsm person id, summary)
DOCUMENTS = [
    ("Children Missing from Home and Care", "Procedure", "Area of practice procedure", "Safeguarding", "ro-1", "rsm-safeguarding", "What to do when a child goes missing from home or care, return home interviews and risk assessment."),
    ("Section 47 Enquiries", "Procedure", "Area of practice procedure", "Safeguarding", "ro-1", "rsm-safeguarding", "Child protection enquiries under section 47 of the Children Act 1989 and strategy discussions."),
    ("Strategy Discussions and Meetings", "Procedure", "Area of practice procedure", "Safeguarding", "ro-1", "rsm-safeguarding", "Convening a strategy discussion when a child may be suffering significant harm."),
    ("Initial Child Protection Conferences", "Procedure", "Area of practice procedure", "Safeguarding", "ro-6", "rsm-safeguarding", "Arranging and chairing initial child protection conferences."),
    ("Child Protection Plans and Review Conferences", "Procedure", "Area of practice procedure", "Safeguarding", "ro-6", "rsm-safeguarding", "Core groups, review conferences and ending a child protection plan."),
    ("Multi-Agency Safeguarding Hub (MASH) Contacts and Referrals", "Procedure", "Single service procedure", "Safeguarding", "ro-1", "rsm-safeguarding", "How contacts are screened and referrals decided in the MASH."),
    ("Allegations Against Staff and Volunteers (LADO)", "Procedure", "Area of practice procedure", "Safeguarding", None, "rsm-safeguarding", "Managing allegations against people who work with children and the role of the LADO."),
    ("Child Sexual Exploitation", "Practice Guidance", "Practice guidance", "Safeguarding", "ro-6", "rsm-safeguarding", "Recognising and responding to child sexual exploitation."),
    ("Child Criminal Exploitation and County Lines", "Practice Guidance", "Practice guidance", "Safeguarding", "ro-6", "rsm-safeguarding", "Working with children exploited into criminal activity."),
    ("Domestic Abuse", "Practice Guidance", "Practice guidance", "Safeguarding", "ro-4", "rsm-early-help", "Responding to domestic abuse affecting children."),
    ("Safeguarding Policy", "Policy", "Overarching policy", "Directorate", "ro-6", "director", "The Trust's overarching safeguarding policy."),
    ("Children in Need (Section 17) Assessments", "Procedure", "Area of practice procedure", "Children's Social Care", "ro-6", "ad-children", "Single assessments and child in need plans under section 17."),
    ("Children in Need Plans and Reviews", "Procedure", "Area of practice procedure", "Children's Social Care", "ro-6", "ad-children", "Planning and reviewing support for children in need."),
    ("Public Law Outline (PLO) Pre-proceedings", "Procedure", "Area of practice procedure", "Children's Social Care", "ro-6", "ad-children", "The pre-proceedings process, letters before proceedings and meetings."),
    ("Care Proceedings", "Procedure", "Area of practice procedure", "Children's Social Care", "ro-6", "ad-children", "Applying for care and supervision orders."),
    ("Looked After Children: Care Planning and Reviews", "Procedure", "Area of practice procedure", "Children in Care", "ro-2", "rsm-cla", "Care plans, placement plans and looked after reviews for children in care."),
    ("Placement with Foster Carers", "Procedure", "Single service procedure", "Children in Care", "ro-2", "rsm-cla", "Matching and placing children with approved foster carers."),
    ("Fostering Panel", "Procedure", "Single service procedure", "Children in Care", "ro-2", "rsm-cla", "How the fostering panel is run and makes recommendations."),
    ("Foster Carer Assessment and Approval", "Procedure", "Single service procedure", "Children in Care", "ro-2", "rsm-cla", "Assessing and approving prospective foster carers."),
    ("Family and Friends Care (Connected Persons)", "Policy", "Policy for an area of practice", "Children in Care", "ro-2", "rsm-cla", "Support for children living with family and friends carers."),
    ("Leaving Care and Transition to Adulthood", "Procedure", "Area of practice procedure", "Children in Care", "ro-3", "rsm-cla", "Pathway plans, personal advisers and support for care leavers and relevant children."),
    ("Staying Put", "Policy", "Policy for an area of practice", "Children in Care", "ro-3", "rsm-cla", "Young people staying with former foster carers after 18."),
    ("Unaccompanied Asylum Seeking Children (UASC)", "Procedure", "Area of practice procedure", "Children in Care", "ro-3", "rsm-cla", "Assessing and supporting unaccompanied asylum seeking children, including age assessment."),
    ("Contact with Family for Children in Care", "Practice Guidance", "Practice guidance", "Children in Care", None, "rsm-cla", "Arranging family time for children in care."),
    ("Corporate Parenting Strategy", "Strategy", "Overarching policy", "Children in Care", "ro-2", "director", "Our promises as corporate parents, with an implementation plan."),
    ("Early Help Assessment and Team Around the Family", "Procedure", "Area of practice procedure", "Early Help", "ro-4", "rsm-early-help", "Early help assessments, lead professionals and family plans."),
    ("Step Up and Step Down between Early Help and Social Care", "Protocol", "Area of practice procedure", "Early Help", "ro-4", "rsm-early-help", "Agreement between early help and children's social care on moving cases."),
    ("Neglect Strategy", "Strategy", "Overarching policy", "Early Help", "ro-4", "ad-children", "Tackling neglect across the partnership, with an implementation plan."),
    ("Graded Care Profile", "Practice Guidance", "Practice guidance", "Early Help", "ro-4", "rsm-early-help", "Using the graded care profile to assess neglect."),
    ("Special Educational Needs and Disabilities (SEND) and EHCPs", "Pathway", "Area of practice procedure", "Children's Social Care", "ro-6", "ad-children", "The pathway for social care advice to education, health and care plans."),
    ("Short Breaks for Disabled Children", "Policy", "Policy for an area of practice", "Children's Social Care", "ro-6", "ad-children", "Eligibility for and arranging short breaks."),
    ("Recording Policy", "Policy", "Overarching policy", "Directorate", "ro-6", "director", "What to record, when and how on the case record."),
    ("Supervision Policy", "Policy", "Overarching policy", "Directorate", "ro-6", "director", "Frequency and content of professional supervision."),
    ("Practice Standards: Visiting Children", "Practice Standards", "Trust practice standards", "Children's Social Care", "ro-6", "ad-children", "Bottom lines for how often and how we see children."),
    ("Practice Standards: Assessments", "Practice Standards", "Trust practice standards", "Children's Social Care", "ro-6", "ad-children", "What a good assessment looks like."),
    ("Case Transfer Protocol", "Protocol", "Single service procedure", "Children's Social Care", "ro-1", "rsm-safeguarding", "Agreement between teams on transferring cases."),
    ("Adult Safeguarding Enquiries (Section 42)", "Procedure", "Area of practice procedure", "Adults", "ro-5", "rsm-adults", "Section 42 enquiries under the Care Act 2014."),
    ("Deprivation of Liberty Safeguards (DoLS)", "Procedure", "Area of practice procedure", "Adults", "ro-5", "rsm-adults", "Applying for and reviewing deprivation of liberty authorisations."),
    ("Mental Capacity Act Assessments", "Practice Guidance", "Practice guidance", "Adults", "ro-5", "rsm-adults", "Assessing capacity and best interests decisions."),
    ("Transitions from Children's to Adult Services", "Pathway", "Area of practice procedure", "Adults", None, "rsm-adults", "Preparing young people with care and support needs for adult services."),
    ("Carers Assessments", "Procedure", "Area of practice procedure", "Adults", "ro-5", "rsm-adults", "Assessing the needs of adult carers."),
    ("Direct Payments", "Policy", "Policy for an area of practice", "Adults", "ro-5", "ad-adults", "Offering and managing direct payments."),
    ("Complaints and Representations", "Procedure", "Single service procedure", "Directorate", "ro-6", "ad-children", "Handling complaints from children, families and carers."),
    ("Private Fostering", "Procedure", "Area of practice procedure", "Children in Care", "ro-2", "rsm-cla", "Notifications and assessment of private fostering arrangements."),
    ("Homeless 16 and 17 Year Olds", "Protocol", "Area of practice procedure", "Children in Care", "ro-3", "rsm-cla", "Joint protocol with housing for homeless 16 and 17 year olds."),
    ("Information Sharing", "Practice Guidance", "Practice guidance", "Directorate", "ro-6", "director", "When and how to share information to safeguard children."),
]

PREFIX = "PP"


def _aad(person_key: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, person_key))


def _review_due(rng: random.Random, today: date, index: int) -> date:
    """Spread review dates: about a fifth overdue, a fifth due within 30 days, the rest later."""
    bucket = index % 5
    if bucket == 0:
        return today - timedelta(days=rng.randint(5, 120))
    if bucket == 1:
        return today + timedelta(days=rng.randint(1, 30))
    return today + timedelta(days=rng.randint(31, 500))


def _last_reviewed(due: date, today: date, index: int) -> date:
    """A year before the review falls due, and never after today: no approval is dated in the future
    (issue 18 item 11; a review set more than a year ahead was agreed at the last one)."""
    return min(due - timedelta(days=365), today - timedelta(days=7 + index % 60))


def demo_people(org: str = "nct") -> list[tuple[str, str, str, str, list[str]]]:
    """The people of a demo organisation: NCT's here, the other presets' in services/demos."""
    return list(ORGS[org].people) if org in ORGS else PEOPLE


def demo_email(name: str) -> str:
    """A demo person's address: 'Daniel Osei-Bonsu' -> daniel.oseibonsu@example.org."""
    return name.lower().replace("cllr ", "").replace("'", "").replace(" ", ".").replace("-", "") + "@example.org"


def demo_aad(person_key: str) -> str:
    """The Entra object id a demo person signs in with (the same in every demo organisation)."""
    return _aad(person_key)


async def ensure_demo(services: Services, org: str | None = None) -> bool:
    """Load the demo organisation once (an empty register only): the one shaped like the preset's
    own (services/demos), or NCT's (below) for NCT or when `org` is "nct". Returns True when it loaded now."""
    today = services.clock.today()
    now = services.clock.now()
    chosen = ORGS.get(org or services.preset.key)
    async with services.uow() as uow:
        if await uow.kv.get(DEMO_KEY) is not None or await uow.documents.count() > 0:
            return False
        people = {}
        for key, name, title, area, roles in (chosen.people if chosen else PEOPLE):
            email = demo_email(name)
            people[key] = await uow.people.create(
                id=key, name=name, email=email, aad_object_id=_aad(key), tenant_id=DEMO_TENANT,
                job_title=title, service_area=area, active=True, preferences={}, roles=roles,
            )
        if chosen is not None:
            count = await _load_documents(uow, services, chosen, today, now)
        else:
            count = await _load_nct_documents(uow, today, now)
        await uow.kv.put(DEMO_KEY, {"loaded_on": today.isoformat(), "documents": count, "organisation": chosen.key if chosen else "nct"})
        await uow.commit()
    return True


async def _load_nct_documents(uow: Work, today: date, now: datetime) -> int:
    rng = random.Random(20261122)
    for i, (title, doc_type, category, area, ro, rsm, summary) in enumerate(DOCUMENTS, start=1):
        due = _review_due(rng, today, i)
        reviewed = _last_reviewed(due, today, i)
        doc = await uow.documents.create(
            ref=f"{PREFIX}-{i:03d}", doc_type=doc_type, title=title, category=category, service_area=area,
            summary=summary, ro_id=ro, rsm_id=rsm, status="published", version=f"{rng.randint(1, 4)}.{rng.randint(0, 3)}",
            approved_on=reviewed, last_reviewed_on=reviewed, next_review_due=due,
            manual_url=f"https://manual.example.org/chapters/{PREFIX.lower()}-{i:03d}.html",
            extra={}, created_at=now, updated_at=now,
        )
        await _registered(uow, now, doc.id, reviewed)
    return len(DOCUMENTS)


async def _load_documents(uow: Work, services: Services, org: DemoOrg, today: date, now: datetime) -> int:
    """A preset's demo register: each document last reviewed some months ago (never after today),
    due by the preset's own interval for its type and category (BCT-10, LBBD-11, DOR-3)."""
    preset = services.preset
    cal = WorkingCalendar(preset.nation)
    types = {t.label.lower(): t.id for t in preset.document_types.values()}
    for i, (title, label, category, area, owner, signer, summary, months_ago) in enumerate(org.documents, start=1):
        reviewed = cal.roll_back(add_months(today, -months_ago) - timedelta(days=(i * 3) % 20))
        interval = preset.review_interval(types.get(label.lower()), category) or ReviewInterval(12)
        due = next_review_due(reviewed, interval, cal)
        doc = await uow.documents.create(
            ref=f"{org.prefix}-{i:03d}", doc_type=label, title=title, category=category, service_area=area,
            summary=summary, ro_id=owner, rsm_id=signer, status="published", version=f"{1 + i % 4}.{i % 3}",
            approved_on=reviewed, last_reviewed_on=reviewed, next_review_due=due,
            manual_url=f"https://manual.example.org/{org.key}/chapters/{org.prefix.lower()}-{i:03d}.html",
            extra={}, created_at=now, updated_at=now,
        )
        await _registered(uow, now, doc.id, reviewed)
    return len(org.documents)


async def _registered(uow: Work, now: datetime, doc_id: int, reviewed: date) -> None:
    await uow.audit.record(
        at=now, actor=None, entity="document", entity_id=doc_id, action="registered",
        summary=f"Added to the register (demo data), last reviewed {long_date(reviewed)}",
    )
