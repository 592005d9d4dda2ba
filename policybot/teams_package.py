"""Builds the Teams app package: manifest.json (from manifest/manifest.template.json) and the two icons, zipped."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

MANIFEST_DIR = Path(__file__).resolve().parents[1] / "manifest"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z]{2,63}$")


class PackageError(ValueError):
    pass


def build_manifest(app_id: str, bot_id: str | None = None, domain: str = "example.org",
                   organisation: str = "Demo Children's Trust", template_dir: Path = MANIFEST_DIR) -> dict:
    bot_id = bot_id or app_id
    for label, value in (("--app-id", app_id), ("--bot-id", bot_id)):
        if not GUID.match(value or ""):
            raise PackageError(f"{label} must be the Microsoft app id, a GUID like 00000000-0000-0000-0000-000000000000, not {value!r}")
    if not DOMAIN.match(domain):
        raise PackageError(f"--domain must be a host name like policybot.example.org, not {domain!r}")
    text = (template_dir / "manifest.template.json").read_text(encoding="utf-8")
    values = {"APP_ID": app_id.lower(), "BOT_ID": bot_id.lower(), "DOMAIN": domain, "ORGANISATION": organisation[:32]}
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", json.dumps(value)[1:-1])
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if left:
        raise PackageError(f"the manifest template has placeholders nobody fills: {', '.join(sorted(set(left)))}")
    return json.loads(text)


def build_package(manifest: dict, template_dir: Path = MANIFEST_DIR) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ("color.png", "outline.png"):
            zf.write(template_dir / icon, icon)
    return buf.getvalue()
