"""`policybot audit verify` (prove no audit entry was changed or removed) and `policybot audit
trail KIND ID` (who did what to a record, when, and what they saw: an inspector's question)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from governance.dates import numeric_date, time_of_day
from policybot.commands._shared import open_runtime, run
from store.audit import verify

LONDON = ZoneInfo("Europe/London")


def _verify(_args) -> int:
    async def go() -> int:
        async with open_runtime() as runtime:
            verdict = await verify(runtime.store.sessionmaker)
        if verdict.intact:
            print(f"The audit log is intact: {verdict.entries} entries, each linked to the one before, none changed or removed.")
            return 0
        print(f"The audit log has been tampered with ({len(verdict.problems)} problem(s) in {verdict.entries} entries):")
        for problem in verdict.problems[:50]:
            print(f"  - {problem}")
        return 1

    return run(go)


async def _entries(uow, kind: str, ident: str) -> list:
    """A case's entries are the ones on its document that name the case."""
    if kind != "case":
        return await uow.audit.for_entity(kind, ident)
    case = await uow.cases.get(int(ident)) if ident.isdigit() else None
    if case is None:
        return []
    return [e for e in await uow.audit.for_entity("document", case.document_id) if (e.details or {}).get("case") == case.id]


def _seen(details: dict) -> str:
    """What the person saw when they acted: the draft's number, file and SHA-256 (issue 22 item 10)."""
    if details.get("draft_version"):
        said = f"draft version {details['draft_version']}"
        if details.get("draft_file"):
            said += f", {details['draft_file']}"
        return said + (f", SHA-256 {details['sha256']}" if details.get("sha256") else "")
    return str(details.get("version") or details.get("sha256") or "")


def _trail(args) -> int:
    async def go() -> int:
        async with open_runtime() as runtime:
            async with runtime.store.uow() as uow:
                entries = await _entries(uow, args.kind, args.id)
            verdict = await verify(runtime.store.sessionmaker)
        if not entries:
            print(f"Nothing in the audit log for {args.kind} {args.id}.")
            return 1
        for e in entries:
            seen = _seen(e.details)
            at = e.at.astimezone(LONDON)
            line = f"{numeric_date(at.date())} {time_of_day(at)}  {e.actor_name or 'policybot'}: {e.action} - {e.summary}"
            if e.reason:
                line += f" (reason: {e.reason})"
            if seen:
                line += f" [seeing {seen}]"
            print(line)
        print("The audit log is intact." if verdict.intact else
              "WARNING: the audit log has been tampered with; run 'policybot audit verify'.")
        return 0

    return run(go)


def register(sub) -> None:
    p = sub.add_parser("audit", help="the tamper-evident audit log")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = asub.add_parser("verify", help="prove that no audit entry was changed or removed")
    v.set_defaults(func=_verify)
    t = asub.add_parser("trail", help="who did what to a record, and when (e.g. 'audit trail case 12')")
    t.add_argument("kind", help="case, document, person, meeting ...")
    t.add_argument("id")
    t.set_defaults(func=_trail)
