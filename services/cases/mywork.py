"""My work, as one page: the cases waiting for me (with their buttons), the documents I own or sign
off, and my reviews coming due, each deadline counted in UK working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.cases.lifecycle import CaseView, my_tasks
from services.context import Services
from services.people.signin import identity_of
from services.register.documents import my_documents, person_view
from services.register.listing import RegisterRow, calendar_of, register_rows_of, signed_in
from services.views import PersonView

COMING_DUE_DAYS = 90


@dataclass(frozen=True)
class TaskLine:
    case: CaseView
    due: date | None  # the consultation deadline or the document's review date, whichever the case works to
    working_days: int | None


@dataclass(frozen=True)
class ActionLine:
    """A meeting action this person owns (DOR-10), with its deadline in working days."""

    body: str
    text: str
    due: date | None
    working_days: int | None


@dataclass(frozen=True)
class MyWork:
    today: date
    person: PersonView
    tasks: tuple[TaskLine, ...]
    documents: tuple[RegisterRow, ...]
    coming_due: tuple[RegisterRow, ...]  # overdue, or due within COMING_DUE_DAYS
    actions: tuple[ActionLine, ...] = ()


async def my_work(services: Services, person_id: str) -> MyWork:
    today = services.clock.today()
    cal = calendar_of(services)
    async with services.uow() as uow:
        person = await signed_in(uow, person_id)
        ident = identity_of(person)
        viewer = person_view(person)
        docs = await my_documents(uow, person.id, today)
        bodies = services.preset.bodies
        actions = tuple(
            ActionLine(bodies[a.body].name if a.body in bodies else a.body, a.text, a.due_on,
                       cal.working_days_between(today, a.due_on) if a.due_on else None)
            for a in await uow.meetings.open_actions() if a.owner_id == person.id)
    tasks = []
    for view in await my_tasks(services, ident):
        due = view.consult_deadline or view.document.next_review_due
        tasks.append(TaskLine(view, due, cal.working_days_between(today, due) if due else None))
    tasks.sort(key=lambda t: (t.due or date.max, t.case.id))
    rows = register_rows_of(docs, today, cal)
    coming = tuple(r for r in rows if r.days is not None and r.days <= COMING_DUE_DAYS)
    return MyWork(today=today, person=viewer, tasks=tuple(tasks), documents=rows, coming_due=coming, actions=actions)
