"""The Teams app package (issue 9): a manifest valid against Microsoft's schema, icons of the right sizes."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import jsonschema
import pytest

from policybot.cli import main
from policybot.teams_package import PackageError, build_manifest, build_package
from tests.support.schemas import teams_manifest_schema

APP = "6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11"


def png_size(data: bytes) -> tuple[int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def test_the_package_builds_and_is_valid_against_microsofts_schema(tmp_path, capsys):
    out = tmp_path / "policybot.zip"
    assert main(["manifest", "--app-id", APP, "--domain", "policybot.example.org", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        colour, outline = zf.read("color.png"), zf.read("outline.png")
    schema = teams_manifest_schema(manifest["manifestVersion"])
    jsonschema.validate(manifest, schema)
    assert manifest["id"] == APP and manifest["bots"][0]["botId"] == APP
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    commands = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert {"help", "find", "my documents", "my tasks", "status", "history", "review"} <= set(commands)
    assert manifest["validDomains"] == ["policybot.example.org"]
    assert png_size(colour)[:2] == (192, 192)
    w, h, colour_type = png_size(outline)
    assert (w, h) == (32, 32) and colour_type == 6  # RGBA: transparent background
    assert "Upload it in Teams" in capsys.readouterr().out


def test_the_manifest_schema_check_can_fail():
    """The schema really checks: a manifest with a bad id is refused."""
    manifest = build_manifest(APP)
    manifest["id"] = "not-a-guid"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(manifest, teams_manifest_schema(manifest["manifestVersion"]))


@pytest.mark.parametrize("args, fault", [
    (["--app-id", "abc"], "must be the Microsoft app id"),
    (["--app-id", APP, "--bot-id", "nope"], "--bot-id must be"),
    (["--app-id", APP, "--domain", "https://x.org/path"], "--domain must be a host name"),
])
def test_bad_ids_and_domains_are_refused_clearly(tmp_path, capsys, args, fault):
    assert main(["manifest", *args, "--out", str(tmp_path / "p.zip")]) == 2
    assert fault in capsys.readouterr().err
    assert not (tmp_path / "p.zip").exists()


def test_a_separate_bot_id_is_kept():
    bot = "11111111-2222-4333-8444-555555555555"
    manifest = build_manifest(APP, bot)
    assert manifest["bots"][0]["botId"] == bot and manifest["id"] == APP
    assert zipfile.ZipFile(io.BytesIO(build_package(manifest))).testzip() is None


def test_every_placeholder_is_filled():
    with pytest.raises(PackageError):
        build_manifest("")
    assert "{{" not in json.dumps(build_manifest(APP))
