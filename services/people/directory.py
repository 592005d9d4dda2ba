"""The directory of people: loaded from a CSV file or synchronised from Microsoft Entra ID through
Microsoft Graph (users, their managers, and group membership for roles) with app credentials.

Graph settings (environment):
  MicrosoftAppTenantId / POLICYBOT_GRAPH_TENANT_ID   the tenant
  POLICYBOT_GRAPH_CLIENT_ID (default MicrosoftAppId) the app registration, with User.Read.All and
                                                     GroupMember.Read.All application permissions
  GRAPH_CLIENT_SECRET (default MicrosoftAppPassword) its secret
  POLICYBOT_GRAPH_ROLE_GROUPS  roles from groups: "ppo=<group id>;rsm=<group id>;member:dlg=<group id>".
                               Those roles follow group membership; other roles are left alone.
  GRAPH_BASE_URL, AUTHORITY_HOST                     other clouds (and the tests' local stand-in)
  REQUESTS_CA_BUNDLE                                 extra trusted certificates (proxies, tests)

People whose account is disabled (accountEnabled false), or who are no longer returned by Graph,
become inactive, and the documents they own or sign off are flagged as orphaned to the PPO (NCT-1).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from services.context import Services
from services.errors import BadInput, UserFacingError
from services.cases.lifecycle import Notice
from services.register.cells import collapse, looks_like_email, norm_heading

USER_FIELDS = "id,displayName,mail,userPrincipalName,jobTitle,department,accountEnabled"


class DirectoryError(UserFacingError):
    code = "directory"


@dataclass(frozen=True)
class Entry:
    """One person as the source directory describes them."""

    name: str
    email: str | None
    aad_object_id: str | None = None
    person_id: str | None = None
    job_title: str | None = None
    service_area: str | None = None
    active: bool = True
    manager: str | None = None  # an aad object id (Graph) or an email/name (CSV)
    roles: frozenset[str] | None = None  # None: roles not given by this source


@dataclass
class SyncReport:
    source: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    left: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)  # document refs
    rejected: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    applied: bool = False

    def lines(self) -> list[str]:
        out = [f"Directory from {self.source}: {len(self.added)} added, {len(self.updated)} updated, "
               f"{self.unchanged} unchanged, {len(self.left)} left, {len(self.returned)} back."]
        if self.rejected:
            out.append("Rejected rows (nothing was loaded; correct them and run again):")
            out += [f"  {r}" for r in self.rejected]
        if self.left:
            out.append("Left (now inactive): " + ", ".join(self.left))
        if self.orphaned:
            out.append("Documents orphaned to the PPO until a new owner is named (NCT-1): " + ", ".join(self.orphaned))
        return out


async def _release_email(uow, by_email: dict, email: str, now, report, keep=None) -> None:
    """The directory gives this address to someone else now: take it off its previous holder
    first (addresses are unique here), and say so in the audit trail."""
    holder = by_email.get(email.lower())
    if holder is None or holder is keep:
        return
    holder.email = None
    by_email.pop(email.lower(), None)
    await uow.session.flush()
    await uow.audit.record(at=now, actor=None, entity="person", entity_id=holder.id, action="email_moved",
                           summary=f"{email} now belongs to someone else in the directory; removed from {holder.name}")


def _slug(email: str | None, name: str) -> str:
    base = (email.split("@")[0] if email else name).lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:56] or "person"


async def apply_directory(services: Services, entries: list[Entry], *, source: str, tenant_id: str | None = None,
                          managed_roles: frozenset[str] | None = None, absent_leave: bool = False) -> SyncReport:
    """Bring the people table in line with a source, in one transaction with an audit record.

    managed_roles: roles the source decides (others are left alone); None means the entries' own roles
    (when given) replace the person's roles. absent_leave: people with an Entra id that the source no
    longer lists have left (a full Graph sync).
    """
    from services.register.ownership import flag_orphans
    from store.register_repo import RegisterRepo

    now = services.clock.now()
    report = SyncReport(source)
    async with services.store.uow() as uow:
        repo = RegisterRepo(uow.session)
        people = await uow.people.all()
        by_aad = {p.aad_object_id: p for p in people if p.aad_object_id}
        by_email = {p.email.lower(): p for p in people if p.email}
        by_id = {p.id: p for p in people}
        seen: set[str] = set()
        resolved: list[tuple[Entry, object]] = []
        for e in entries:
            person = (by_id.get(e.person_id) if e.person_id else None) or (by_aad.get(e.aad_object_id) if e.aad_object_id else None)
            if person is None and e.email:
                holder = by_email.get(e.email.lower())
                # An address can pass to someone else (a reused mailbox): never merge two Entra accounts.
                if holder is not None and not (e.aad_object_id and holder.aad_object_id and holder.aad_object_id != e.aad_object_id):
                    person = holder
            if person is None:
                if e.email:
                    await _release_email(uow, by_email, e.email, now, report)
                pid = e.person_id or _slug(e.email, e.name)
                n = 2
                while pid in by_id:
                    pid, n = f"{_slug(e.email, e.name)}-{n}", n + 1
                person = await repo.add_person(id=pid, name=e.name, email=e.email, aad_object_id=e.aad_object_id,
                                               tenant_id=tenant_id, job_title=e.job_title, service_area=e.service_area,
                                               active=e.active, preferences={}, roles=sorted(e.roles or ()))
                by_id[pid] = person
                if e.aad_object_id:
                    by_aad[e.aad_object_id] = person
                if e.email:
                    by_email[e.email.lower()] = person
                report.added.append(e.name)
                await uow.audit.record(at=now, actor=None, entity="person", entity_id=pid, action="person_added",
                                       summary=f"{e.name} added to the directory from {source}")
                if not e.active:
                    report.left.append(e.name)
            resolved.append((e, person))
            seen.add(person.id)
        name_index = {collapse(p.name).lower(): p for p in by_id.values()}
        existing = {p.id for p in people}
        for e, person in resolved:
            is_new = person.id not in existing
            changes: list[str] = []
            if not is_new:
                if e.email and (person.email or "").lower() != e.email.lower():
                    await _release_email(uow, by_email, e.email, now, report, keep=person)
                for attr, value in (("name", e.name), ("email", e.email), ("aad_object_id", e.aad_object_id),
                                    ("job_title", e.job_title), ("service_area", e.service_area)):
                    if value is not None and getattr(person, attr) != value:
                        changes.append(attr)
                        setattr(person, attr, value)
                if tenant_id and e.aad_object_id and person.tenant_id != tenant_id:
                    person.tenant_id = tenant_id
                if person.active != e.active:
                    changes.append("active")
                    person.active = e.active
                    (report.returned if e.active else report.left).append(person.name)
            if e.manager is not None:
                m = e.manager.strip()
                manager = (by_aad.get(m) or by_email.get(m.lower()) or name_index.get(collapse(m).lower())) if m else None
                manager_id = manager.id if manager and manager.id != person.id else None
                if person.manager_id != manager_id:
                    person.manager_id = manager_id
                    changes.append("manager")
            if not is_new and (e.roles is not None or managed_roles):
                have = set(person.role_names)
                want = (have - managed_roles) | (set(e.roles or ()) & managed_roles) if managed_roles else set(e.roles or ())
                if want != have:
                    await repo.set_roles(person, sorted(want))
                    changes.append("roles")
            if is_new:
                continue
            if changes:
                report.updated.append(person.name)
                await uow.audit.record(at=now, actor=None, entity="person", entity_id=person.id, action="person_updated",
                                       summary=f"{person.name} updated from {source}: {', '.join(changes)}")
            else:
                report.unchanged += 1
        if absent_leave:
            for p in people:
                if p.aad_object_id and p.id not in seen and p.active and p.tenant_id in (None, tenant_id):
                    p.active = False
                    report.left.append(p.name)
                    await uow.audit.record(at=now, actor=None, entity="person", entity_id=p.id, action="person_left",
                                           summary=f"{p.name} is no longer in {source}: inactive")
        for p in by_id.values():
            if not p.active:
                flagged, notices = await flag_orphans(uow, repo, p, now)
                report.orphaned += [d.ref for d in flagged]
                report.notices += notices
        await uow.audit.record(at=now, actor=None, entity="directory", entity_id=source[:64], action="directory_sync",
                               summary="; ".join(report.lines()))
        await uow.commit()
        report.applied = True
    return report


# ------------------------------------------------------------------ CSV

CSV_FIELDS = {
    "name": ("name", "display name", "full name", "displayname"),
    "email": ("email", "email address", "mail", "work email", "user principal name", "upn"),
    "person_id": ("id", "person id", "staff id"),
    "aad_object_id": ("entra id", "entra object id", "object id", "aad object id", "azure ad object id"),
    "job_title": ("job title", "title", "role title", "position", "jobtitle"),
    "service_area": ("department", "service area", "service", "team"),
    "manager": ("manager", "line manager", "manager email", "reports to"),
    "roles": ("roles", "role", "policybot roles"),
    "active": ("active", "enabled", "account enabled", "accountenabled", "status"),
}
_CSV_BY_HEADING = {norm_heading(s): f for f, syns in CSV_FIELDS.items() for s in syns}
YES = {"", "yes", "y", "true", "1", "active", "enabled", "current"}
NO = {"no", "n", "false", "0", "inactive", "disabled", "left", "leaver"}


def read_people_csv(path: str | Path) -> tuple[list[Entry], list[str]]:
    p = Path(path)
    if not p.exists():
        raise BadInput(f"There is no file {p}.")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise BadInput(f"{p.name} is empty.")
    fields = [_CSV_BY_HEADING.get(norm_heading(h)) for h in rows[0]]
    if "name" not in fields or "email" not in fields:
        raise BadInput(f"{p.name} needs a Name and an Email column in its first row.")
    entries, rejected, seen = [], [], {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(collapse(c) for c in row):
            continue
        v = {f: collapse(row[i]) if i < len(row) else "" for i, f in enumerate(fields) if f}
        problems = []
        if not v.get("name"):
            problems.append("no name")
        email = v.get("email", "").lower()
        if not looks_like_email(email):
            problems.append(f"'{v.get('email', '')}' is not an email address")
        elif email in seen:
            problems.append(f"duplicate of row {seen[email]} (same email {email})")
        active = v.get("active", "").lower()
        if active not in YES | NO:
            problems.append(f"Active '{v.get('active')}' should be yes or no")
        if problems:
            rejected.append(f"row {n}: {'; '.join(problems)}")
            continue
        seen[email] = n
        roles = None
        if "roles" in v:
            roles = frozenset(r.strip().lower() for r in re.split(r"[;,|]", v["roles"]) if r.strip())
        entries.append(Entry(name=v["name"], email=email, aad_object_id=v.get("aad_object_id") or None,
                             person_id=v.get("person_id") or None, job_title=v.get("job_title") or None,
                             service_area=v.get("service_area") or None, active=active not in NO,
                             manager=v.get("manager") if "manager" in v else None, roles=roles))
    return entries, rejected


async def load_csv(services: Services, path: str | Path) -> SyncReport:
    entries, rejected = read_people_csv(path)
    if rejected:
        return SyncReport(Path(path).name, rejected=rejected)
    return await apply_directory(services, entries, source=Path(path).name)


# ------------------------------------------------------------------ Microsoft Graph

def role_groups(settings) -> dict[str, str]:
    """POLICYBOT_GRAPH_ROLE_GROUPS="ppo=<group id>;rsm=<group id>" as {role: group id}."""
    raw = settings.extra.get("POLICYBOT_GRAPH_ROLE_GROUPS", "")
    out = {}
    for part in re.split(r"[;\n]", raw):
        if not part.strip():
            continue
        role, sep, group = part.partition("=")
        if not sep or not role.strip() or not group.strip():
            raise BadInput(f"POLICYBOT_GRAPH_ROLE_GROUPS: '{part.strip()}' should be role=group-id.")
        out[role.strip().lower()] = group.strip()
    return out


def _ssl_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    extra = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
    if extra and Path(extra).exists():
        ctx.load_verify_locations(extra)
    return ctx


class GraphDirectory:
    """Reads users, managers and group members from Microsoft Graph with an app-only token."""

    def __init__(self, *, tenant_id: str, client_id: str, client_secret: str, authority_host: str, graph_base_url: str,
                 scope: str | None = None, concurrency: int = 8) -> None:
        if not (tenant_id and client_id and client_secret):
            raise DirectoryError("To read the directory from Microsoft Entra ID I need the tenant id, the app's client id "
                                 "and its secret (MicrosoftAppTenantId, POLICYBOT_GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET).")
        self.tenant_id = tenant_id
        self.base = graph_base_url.rstrip("/")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
        self.scope = scope or f"{origin}/.default"
        self._client_id, self._secret = client_id, client_secret
        self._authority_host = authority_host.rstrip("/")
        self._http = None
        self._app = None  # made on first use, off the event loop: MSAL fetches the tenant's metadata then
        self._limit = asyncio.Semaphore(concurrency)
        self.requests = 0

    @classmethod
    def from_settings(cls, settings) -> "GraphDirectory":
        return cls(
            tenant_id=settings.extra.get("POLICYBOT_GRAPH_TENANT_ID") or settings.app_tenant_id,
            client_id=settings.extra.get("POLICYBOT_GRAPH_CLIENT_ID") or settings.app_id,
            client_secret=settings.graph_client_secret or settings.app_password,
            authority_host=settings.authority_host, graph_base_url=settings.graph_base_url,
            scope=settings.extra.get("POLICYBOT_GRAPH_SCOPE") or None,
        )

    def _acquire(self) -> dict:
        if self._app is None:
            import requests
            from msal import ConfidentialClientApplication

            self._http = requests.Session()  # ours, so its connections are closed when we are done

            host = self._authority_host
            self._app = ConfidentialClientApplication(
                client_id=self._client_id, client_credential=self._secret, authority=f"{host}/{self.tenant_id}",
                # Only Microsoft's own login host can vouch for itself; a sovereign cloud or a local
                # stand-in is taken as configured.
                instance_discovery=urlsplit(host).netloc == "login.microsoftonline.com",
                http_client=self._http,
            )
        return self._app.acquire_token_for_client(scopes=[self.scope])

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    async def _token(self) -> str:
        try:
            result = await asyncio.to_thread(self._acquire)
        except ValueError as exc:  # MSAL's word for an authority it could not reach or read
            raise DirectoryError(f"I couldn't reach Microsoft Entra ID at {self._authority_host} ({exc}).") from None
        if "access_token" not in result:
            raise DirectoryError("Microsoft Entra ID refused policybot's app credentials "
                                 f"({result.get('error', 'unknown error')}): check the client id, secret and tenant.")
        return result["access_token"]

    async def _get(self, session, url: str, token: str, *, missing_ok: bool = False) -> dict | None:
        for attempt in range(4):
            async with self._limit:
                self.requests += 1
                async with session.get(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}) as resp:
                    if resp.status == 404 and missing_ok:
                        return None
                    if resp.status in (429, 503) and attempt < 3:
                        delay = min(float(resp.headers.get("Retry-After") or 1), 10.0)
                    elif resp.status >= 400:
                        body = await resp.text()
                        raise DirectoryError(f"Microsoft Graph answered {resp.status} for {urlsplit(url).path}: {body[:200]}")
                    else:
                        return await resp.json()
            await asyncio.sleep(delay)
        raise DirectoryError("Microsoft Graph kept asking us to slow down; try again later.")

    async def _pages(self, session, url: str, token: str) -> list[dict]:
        items: list[dict] = []
        while url:
            page = await self._get(session, url, token)
            items += page.get("value", [])
            url = page.get("@odata.nextLink")
        return items

    async def read(self, groups: dict[str, str]) -> tuple[list[Entry], frozenset[str]]:
        import aiohttp

        token = await self._token()
        connector = aiohttp.TCPConnector(ssl=_ssl_context())
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
            users = await self._pages(session, f"{self.base}/users?$select={USER_FIELDS}&$top=999", token)

            async def manager_of(uid: str) -> str | None:
                m = await self._get(session, f"{self.base}/users/{quote(uid)}/manager?$select=id", token, missing_ok=True)
                return m.get("id") if m else None

            managers = await asyncio.gather(*(manager_of(u["id"]) for u in users))
            members: dict[str, set[str]] = {}
            for role, gid in groups.items():
                for m in await self._pages(session, f"{self.base}/groups/{quote(gid)}/members?$select=id", token):
                    members.setdefault(m["id"], set()).add(role)
        managed = frozenset(groups)
        entries = []
        for u, mgr in zip(users, managers):
            email = (u.get("mail") or u.get("userPrincipalName") or "").lower() or None
            entries.append(Entry(
                name=u.get("displayName") or email or u["id"], email=email, aad_object_id=u["id"],
                job_title=u.get("jobTitle"), service_area=u.get("department"),
                active=u.get("accountEnabled") is not False, manager=mgr or "",
                roles=frozenset(members.get(u["id"], ())) if managed else None,
            ))
        return entries, managed


async def sync_graph(services: Services, client: GraphDirectory | None = None) -> SyncReport:
    groups = role_groups(services.settings)
    own = client is None
    client = client or GraphDirectory.from_settings(services.settings)
    try:
        entries, managed = await client.read(groups)
    finally:
        if own:
            client.close()
    return await apply_directory(services, entries, source="Microsoft Entra ID", tenant_id=client.tenant_id,
                                 managed_roles=managed or None, absent_leave=True)
