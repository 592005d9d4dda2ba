"""Messages from the outbox, for Teams (a card) and for email (plain text and HTML). Pure."""

from __future__ import annotations

from typing import Any

from render.cases import case_reply
from governance.wording import sentence
from render.email import html_page
from render.reply import Reply, card, command_button, heading, para
from render.reports import compliance_chart_png
from services.cases.views import CaseView
from services.ports import OutboxItem

FOOTER = ("You get this because of your role in the organisation's policy and procedure process. "
          "To change how you get reminders, say 'nudge settings' to the policy assistant.")


def notice_reply(subject: str, body: str, *, view: CaseView | None = None, ref: str | None = None,
                 lines: list[str] | None = None, requests: tuple[str, ...] = ()) -> Reply:
    if view is not None:  # the case's card, with what the notice carries (NCT-3: the publisher's amendments)
        return case_reply(view, "\n".join([f"{sentence(subject)} {body}", *(f"• {line}" for line in (lines or []))]))
    blocks = [heading(subject), para(body)] + [para(f"• {line}") for line in (lines or [])]
    # The demand digest: one press turns a topic into a new-document request, its subject filled in.
    actions = [command_button(f"Request: {r.split(' on ', 1)[-1]}"[:60], r) for r in requests]
    if ref:
        actions.append(command_button(f"Open {ref}", f"status {ref}"))
        actions.append(command_button(f"Start the review of {ref}", f"review {ref}"))
    actions.append(command_button("My tasks", "my tasks"))
    text = "\n".join([subject, body, *(f"- {line}" for line in (lines or []))])
    return Reply(text=text, card=card(blocks, actions))


def notice_email(subject: str, body: str, *, view: CaseView | None = None, lines: list[str] | None = None,
                 organisation: str = "", requests: tuple[str, ...] = ()) -> tuple[str, str]:
    """(plain text, HTML). For a case, the reply words to use by email are included."""
    paragraphs = [body, *(f"• {line}" for line in (lines or []))]
    if requests:
        paragraphs.append("To ask for a document on one of these, reply with its line: "
                          + "; ".join(f"'{r}'" for r in requests) + ".")
    if view is not None:
        paragraphs += case_reply(view).text.splitlines()
    footer = (organisation + ": " if organisation else "") + FOOTER
    text = "\n\n".join([subject, *paragraphs, "--", footer])
    return text, html_page(subject, paragraphs, footer)


class NoticeRendering:
    """The `NoticeRenderer` port: what the dispatcher sends for an outbox item."""

    def for_teams(self, item: OutboxItem, view: CaseView | None) -> Reply:
        return notice_reply(item.subject, item.body, view=view, ref=item.document_ref, lines=list(item.lines),
                            requests=item.requests)

    def for_email(self, item: OutboxItem, view: CaseView | None, organisation: str) -> tuple[str, str]:
        return notice_email(item.subject, item.body, view=view, lines=list(item.lines), organisation=organisation,
                            requests=item.requests)

    def compliance_chart(self, report: Any) -> bytes:
        return compliance_chart_png(report)
