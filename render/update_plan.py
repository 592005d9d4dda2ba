"""NCT-3: the publisher's update plan in chat: the preview card with its Apply button, and the answer after it."""

from __future__ import annotations

from governance.dates import weekday_date
from render.reply import Reply, card, command_button, facts, heading, para
from services.updates.opening import summary_text
from services.updates.plan import PlanApplied, PlanPreview

SHOWN = 12
APPLY = "apply update plan"


def _affected(pv: PlanPreview) -> list[str]:
    out = []
    for m in pv.matched.matches:
        d = m.document
        owner = d.ro.name if getattr(d, "ro", None) else (d.rsm.name if getattr(d, "rsm", None) else "no RO")
        busy = f"; already has case {pv.busy[d.id]} open: its RO gets the amendments for it" if d.id in pv.busy else ""
        out.append(f"{d.ref} {d.title} (RO {owner}; {len(m.rows)} amendment{'s' if len(m.rows) != 1 else ''}, "
                   f"matched {m.how}{busy})")
    return out


def preview_lines(pv: PlanPreview, *, everything: bool = False) -> list[str]:
    """The preview as plain lines (the email, the command line: `everything` lists every row)."""
    n = pv.matched
    lines = [f"Update plan preview: {pv.filename}: {n.rows} rows; {len(n.matches)} local procedures affected; "
             f"{len(n.unmatched)} rows match no local procedure; {n.no_change} rows recommend no change."]
    if pv.deadline and pv.opens:
        lines.append(f"For the update deadline {weekday_date(pv.deadline)}; the review window opens on "
                     f"{weekday_date(pv.opens)} (NCT-4).")
    else:
        lines.append("No update deadline is recorded yet: record it first ('the Tri.x deadlines are 5 March 2027 and "
                     "3 September 2027'), then apply the plan.")
    affected = _affected(pv)
    shown = affected if everything else affected[:SHOWN]
    lines += ["Local procedures affected:", *(f"  {x}" for x in shown)]
    if len(shown) < len(affected):
        lines.append(f"  ... and {len(affected) - len(shown)} more")
    unmatched = [f"{r.where}: {r.ref + ' ' if r.ref else ''}{r.title}" for r in n.unmatched]
    if unmatched:
        shown_u = unmatched if everything else unmatched[:SHOWN]
        lines += ["Rows that match no local procedure (no case is opened for them):", *(f"  {x}" for x in shown_u)]
        if len(shown_u) < len(unmatched):
            lines.append(f"  ... and {len(unmatched) - len(shown_u)} more")
    return lines


def preview_reply(pv: PlanPreview) -> Reply:
    lines = preview_lines(pv)
    command = f"{APPLY} {pv.token}"
    n = pv.matched
    body = [heading(f"Update plan: {pv.filename}"),
            facts([("Rows", str(n.rows)), ("Local procedures affected", str(len(n.matches))),
                   ("Cases to open", str(pv.to_open)), ("Rows matching nothing", str(len(n.unmatched))),
                   ("No change recommended", str(n.no_change)),
                   ("Deadline", weekday_date(pv.deadline) if pv.deadline else "not recorded"),
                   ("Window opens", weekday_date(pv.opens) if pv.opens else "-")])]
    body += [para(x) for x in lines[1:]]
    actions = []
    if pv.applied_on:
        tail = "This plan is applied already: its cases are open."
    elif pv.deadline and pv.to_open:
        tail = f"Nothing has changed yet. Reply '{command.upper()}' to open {pv.to_open} scheduled-update cases."
        actions.append(command_button(f"Apply: open {pv.to_open} cases", command))
    elif pv.deadline:
        tail = "There is no case to open from this plan."
    else:
        tail = "Nothing has changed."
    body.append(para(tail, subtle=True))
    return Reply(text="\n".join([*lines, tail]), card=card(body, actions))


def applied_reply(out: PlanApplied) -> Reply:
    text = summary_text(out.preview, list(out.opened), out.instructed_at)
    shown = [f"case {c}: {r} {t}" for c, r, t in out.opened[:SHOWN]]
    more = [f"... and {len(out.opened) - SHOWN} more"] if len(out.opened) > SHOWN else []
    return Reply(text="\n".join([text, *shown, *more]),
                 card=card([heading("Update plan applied"), para(text), para("\n".join(f"- {x}" for x in [*shown, *more]))]))
