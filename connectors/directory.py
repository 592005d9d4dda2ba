"""People from outside: a CSV file of staff, and Microsoft Entra ID through Microsoft Graph (users,
their managers, and group membership for roles) with app-only credentials through msal.

Graph settings (bot/settings.py): MicrosoftAppTenantId / POLICYBOT_GRAPH_TENANT_ID (the tenant),
POLICYBOT_GRAPH_CLIENT_ID (default MicrosoftAppId; User.Read.All and GroupMember.Read.All
application permissions), GRAPH_CLIENT_SECRET (default MicrosoftAppPassword),
POLICYBOT_GRAPH_ROLE_GROUPS ("ppo=<group id>;rsm=<group id>": those roles follow group membership),
GRAPH_BASE_URL and AUTHORITY_HOST (other clouds and the tests' stand-in), REQUESTS_CA_BUNDLE.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import ssl
from pathlib import Path
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import requests
from msal import ConfidentialClientApplication

from governance.dates import collapse
from services.errors import BadInput, UserFacingError
from services.ports import DirectoryEntry as Entry

USER_FIELDS = "id,displayName,mail,userPrincipalName,jobTitle,department,accountEnabled"


class DirectoryError(UserFacingError):
    code = "directory"


def norm_heading(text: Any) -> str:
    """Case, spacing and punctuation do not matter in a heading."""
    s = collapse(str(text or "")).lower().replace("&", " and ").replace("e-mail", "email").replace(".", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def looks_like_email(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", text))



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


class PeopleCsv:
    """A staff list saved as CSV: Name and Email at least; Roles, Manager, Active and more optional."""

    def read(self, path: Path) -> tuple[list[Entry], list[str]]:
        return read_people_csv(path)


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
    entries: list[Entry] = []
    rejected: list[str] = []
    seen: dict[str, int] = {}
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



def _ssl_context(ca_file: Path | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if ca_file is not None and ca_file.exists():
        ctx.load_verify_locations(str(ca_file))
    return ctx


class GraphDirectory:
    """Reads users, managers and group members from Microsoft Graph with an app-only token."""

    def __init__(self, *, tenant_id: str, client_id: str, client_secret: str, authority_host: str, graph_base_url: str,
                 scope: str | None = None, concurrency: int = 8, ca_file: Path | None = None) -> None:
        if not (tenant_id and client_id and client_secret):
            raise DirectoryError("To read the directory from Microsoft Entra ID I need the tenant id, the app's client id "
                                 "and its secret (MicrosoftAppTenantId, POLICYBOT_GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET).")
        self.tenant_id = tenant_id
        self.base = graph_base_url.rstrip("/")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
        self.scope = scope or f"{origin}/.default"
        self._client_id, self._secret = client_id, client_secret
        self._authority_host = authority_host.rstrip("/")
        self._http: requests.Session | None = None
        self._app: ConfidentialClientApplication | None = None  # made on first use, off the event loop: MSAL fetches the tenant's metadata then
        self._limit = asyncio.Semaphore(concurrency)
        self.requests = 0
        self._ca_file = ca_file

    def _acquire(self) -> dict[str, Any]:
        if self._app is None:
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

    async def _get(self, session, url: str, token: str, *, missing_ok: bool = False) -> dict[str, Any] | None:
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

    async def _pages(self, session, url: str, token: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        next_url: str | None = url
        while next_url:
            page = await self._get(session, next_url, token)
            assert page is not None, "only missing_ok=True answers None"
            items += page.get("value", [])
            next_url = page.get("@odata.nextLink")
        return items

    async def read(self, role_groups: Mapping[str, str]) -> tuple[list[Entry], frozenset[str]]:
        try:
            token = await self._token()
        finally:
            self.close()  # the token is cached by MSAL; its HTTP connections are not kept between syncs
        connector = aiohttp.TCPConnector(ssl=_ssl_context(self._ca_file))
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
            users = await self._pages(session, f"{self.base}/users?$select={USER_FIELDS}&$top=999", token)

            async def manager_of(uid: str) -> str | None:
                m = await self._get(session, f"{self.base}/users/{quote(uid)}/manager?$select=id", token, missing_ok=True)
                return m.get("id") if m else None

            managers = await asyncio.gather(*(manager_of(u["id"]) for u in users))
            members: dict[str, set[str]] = {}
            for role, gid in role_groups.items():
                for m in await self._pages(session, f"{self.base}/groups/{quote(gid)}/members?$select=id", token):
                    members.setdefault(m["id"], set()).add(role)
        managed = frozenset(role_groups)
        entries = []
        for u, mgr in zip(users, managers, strict=True):
            email = (u.get("mail") or u.get("userPrincipalName") or "").lower() or None
            entries.append(Entry(
                name=u.get("displayName") or email or u["id"], email=email, aad_object_id=u["id"],
                job_title=u.get("jobTitle"), service_area=u.get("department"),
                active=u.get("accountEnabled") is not False, manager=mgr or "",
                roles=frozenset(members.get(u["id"], ())) if managed else None,
            ))
        return entries, managed


