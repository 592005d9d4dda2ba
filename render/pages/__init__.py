"""The register's pages as HTML (Jinja2, autoescaped): pure functions from views to text.

Each page fits a 320 px Teams side panel and a desktop browser (one stylesheet, no build step, no
inline script or style, so the Content-Security-Policy can forbid both). `Chrome` carries what
every page needs around its content: who is signed in, the CSRF token for its forms, the theme.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from governance import actions as declared
from governance.actions import InputKind
from governance.dates import long_date, short_date, time_of_day
from render.pages.charts import compliance_svg, demand_svg
from services.cases.mywork import MyWork
from services.meetings.page import MeetingsPage
from services.register.compare_page import KIND_WORDS, ComparePage
from services.register.listing import PAGE_SIZES, REVIEW_FILTERS, SORTS, DocumentPage, RegisterPage
from services.register.report_page import DEMAND_CHARTED, DEMAND_KIND_LABELS, ReportsPage

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
LONDON = ZoneInfo("Europe/London")
THEMES = ("light", "dark", "contrast")
TEAMS_SDK = "https://res.cdn.office.net/teams-js/2.34.0/js/MicrosoftTeams.min.js"
# Decisions that need a file, which the page cannot take: the chat (or email) takes the draft.
FILE_ACTIONS = frozenset({"submit_draft", "submit_amendments"})
STATE_WORDS = {"overdue": "Overdue", "due_soon": "Due soon", "ok": "In date", "none": "No review date"}


@dataclass(frozen=True)
class Chrome:
    """Around every page: the signed-in person, the CSRF token, the theme, the current section."""

    person_name: str = ""
    csrf: str = ""
    theme: str = "light"
    section: str = ""
    base: str = "/tab"
    teams_sdk: str = TEAMS_SDK
    message: str = ""  # a one-line notice at the top (e.g. "Done: approved.")


def _date(d: date | None, missing: str = "not set") -> str:
    return short_date(d, missing)


def _when(at: datetime | None) -> str:
    if at is None:
        return ""
    local = at.astimezone(LONDON)
    return f"{short_date(local.date())} {time_of_day(local)}"


def _days(n: int | None) -> str:
    """Working days to a deadline, as people say it."""
    if n is None:
        return ""
    if n == 0:
        return "due today"
    if n < 0:
        return f"{-n} working day{'s' if n != -1 else ''} overdue"
    return f"{n} working day{'s' if n != 1 else ''} left"


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} KB"


def _inputs(action_id: str) -> tuple[declared.Input, ...]:
    """The inputs a card shows for an action (governance/actions.py declares them once)."""
    spec = declared.action(action_id)
    return spec.inputs if spec else ()


def _qs(params: dict[str, Any]) -> str:
    return urlencode(params)


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(date=_date, long_date=long_date, when=_when, days=_days, size=_size, qs=_qs)
    env.globals.update(STATE_WORDS=STATE_WORDS, SORTS=SORTS, PAGE_SIZES=PAGE_SIZES, REVIEW_FILTERS=REVIEW_FILTERS,
                       inputs=_inputs, InputKind=InputKind, FILE_ACTIONS=FILE_ACTIONS)
    return env


ENV = _env()


def page(template: str, chrome: Chrome, **context: Any) -> str:
    return ENV.get_template(template).render(chrome=chrome, **context)


def register_html(view: RegisterPage, chrome: Chrome) -> str:
    return page("register.html", chrome, view=view)


def document_html(view: DocumentPage, chrome: Chrome) -> str:
    return page("document.html", chrome, view=view)


def compare_html(view: ComparePage, chrome: Chrome) -> str:
    return page("compare.html", chrome, view=view, c=view.comparison, KIND_WORDS=KIND_WORDS)


def my_work_html(view: MyWork, chrome: Chrome) -> str:
    return page("mywork.html", chrome, view=view)


def meetings_html(view: MeetingsPage, chrome: Chrome) -> str:
    return page("meetings.html", chrome, view=view)


def reports_html(view: ReportsPage, chrome: Chrome) -> str:
    demand = demand_svg([(t.topic, t.times) for t in view.demand[:DEMAND_CHARTED]], view.demand_days)
    return page("reports.html", chrome, view=view, chart=compliance_svg(view.history), months=view.months,
                demand_chart=demand, DEMAND_KIND_LABELS=DEMAND_KIND_LABELS)


def signin_html(chrome: Chrome, *, people: list[tuple[str, str, str]], dev: bool, next_url: str, problem: str = "",
                browser: bool = False) -> str:
    return page("signin.html", chrome, people=people, dev=dev, next_url=next_url, problem=problem, browser=browser)


def configure_html(chrome: Chrome, *, areas: list[str]) -> str:
    return page("configure.html", chrome, areas=areas)


def problem_html(chrome: Chrome, *, status: int, title: str, detail: str) -> str:
    return page("problem.html", chrome, status=status, title=title, detail=detail)
