"""The tracker import in chat: the preview card with its "Import" button, and the answer after it."""

from __future__ import annotations

from render.reply import Reply, card, command_button, facts, heading, link_button, para
from services.register.tracker_report import REPORT_LINK_HOURS, ImportReport

FIRST_PROBLEMS = 6
FIRST_COLUMNS = 16
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _counts(report: ImportReport) -> list[tuple[str, str]]:
    n = report.counts()
    return [("Sheet", report.sheet or report.filename), ("Headings on row", str(report.header_row)),
            ("To add", str(report.count("add"))), ("To update", str(report.count("update"))),
            ("Unchanged", str(report.count("unchanged"))), ("Flagged", str(n["flagged"])),
            ("Rejected", str(n["rejected"])), ("Skipped", str(n["skipped"]))]


def preview_reply(report: ImportReport, token: str, report_url: str | None = None) -> Reply:
    """`report_url`: a signed link to every row's outcome as .xlsx (a button in Teams, attached by email)."""
    n = report.counts()
    rows = report.count("add") + report.count("update")
    problems = [f"{o.where}: {o.reason}" for o in report.outcomes() if o.outcome == "rejected"][:FIRST_PROBLEMS]
    flagged = [f"{o.where}: {o.reason}" for o in report.outcomes() if o.outcome == "flagged"][:FIRST_PROBLEMS]
    columns = report.column_lines()[:FIRST_COLUMNS]
    command = f"import tracker {token}"
    lines = [f"{report.filename}: {report.summary()}"]
    body = [heading(f"Tracker preview: {report.filename}"), facts(_counts(report)),
            para("**How I read your columns**"), para("\n".join(f"- {c}" for c in columns))]
    lines += ["How I read your columns:", *(f"  {c}" for c in columns)]
    if report.other_sheets:
        others = "; ".join(report.other_sheets)
        body.append(para(f"Other sheets, not read: {others}", subtle=True))
        lines.append(f"Other sheets, not read: {others}")
    updates = [c for c in report.changes if c.kind == "update"]
    if updates:
        shown = [f"row {c.row}: {c.ref} {c.title}: " + "; ".join(f"{w} '{b}' -> '{a}'" for w, b, a in c.diffs)
                 for c in updates[:FIRST_PROBLEMS]]
        body += [para(f"**Changes to the register** (first {len(shown)} of {len(updates)})"),
                 para("\n".join(f"- {x}" for x in shown))]
        lines += ["Changes to the register:", *(f"  {x}" for x in shown)]
    if problems:
        body += [para(f"**Rejected rows** (first {len(problems)} of {n['rejected']}; they will be left out)"),
                 para("\n".join(f"- {p}" for p in problems))]
        lines += ["Rejected rows (left out):", *(f"  {p}" for p in problems)]
    if flagged:
        body += [para(f"**Flagged rows** (first {len(flagged)} of {n['flagged']}; imported, please check)"),
                 para("\n".join(f"- {p}" for p in flagged))]
        lines += ["Flagged rows (imported, please check):", *(f"  {p}" for p in flagged)]
    actions = []
    if rows:
        body.append(para("Nothing has changed yet. Press Import to bring these rows into the register.", subtle=True))
        lines.append(f"Nothing has changed yet. Reply '{command.upper()}' to import {rows} rows.")
        actions.append(command_button(f"Import {rows} rows", command))
    else:
        body.append(para("The register already matches this tracker: there is nothing to import."))
        lines.append("The register already matches this tracker: there is nothing to import.")
    files: tuple[tuple[str, str, str], ...] = ()
    if report_url:
        actions.append(link_button("Download the report (.xlsx)", report_url))
        lines.append(f"Every row's outcome is in the report (.xlsx, attached; the link works for {REPORT_LINK_HOURS} hours, "
                     f"for you only): {report_url}")
        files = ((report.report_name, XLSX, report_url),)
    return Reply(text="\n".join(lines), card=card(body, actions), files=files)


def imported_reply(report: ImportReport) -> Reply:
    if not report.applied:
        text = "Nothing to change: the register already matches the tracker."
    else:
        text = (f"Imported {report.filename}: {report.count('add')} added, {report.count('update')} updated, "
                f"{report.count('unchanged')} unchanged, {len(report.rejected)} rejected rows left out.")
    flagged = len(report.flagged)
    if flagged:
        text += f" {flagged} flagged rows need a look: they are listed in the preview."
    return Reply(text=text, card=card([heading("Tracker imported" if report.applied else "Tracker"), para(text),
                                       facts(_counts(report))]))
