"""`policybot manual sync` and `policybot manual search` from the command line."""

from __future__ import annotations

import asyncio

from policybot.cli import main


async def test_manual_sync_shows_progress_then_search_answers(trix_site, sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("POLICYBOT_MANUAL_URL", trix_site.url)
    monkeypatch.setenv("POLICYBOT_MANUAL_TIMEOUT", "0.3")
    monkeypatch.setenv("POLICYBOT_DEMO", "false")
    assert await asyncio.to_thread(main, ["manual", "sync", "--delay", "0"]) == 0
    out = capsys.readouterr()
    assert "Reading chapters [" in out.err and out.err.rstrip().endswith("/" + out.err.rstrip().rsplit("/", 1)[1])
    assert "Manual sync partial" in out.out and "180 chapters in the index" in out.out
    assert "not read (robots.txt)" in out.out and "pocket-money-old-version" in out.out

    assert await asyncio.to_thread(main, ["manual", "search", "s47"]) == 0
    assert "Section 47 Enquiries" in capsys.readouterr().out.splitlines()[1]
    assert await asyncio.to_thread(main, ["manual", "search", "underwater basket weaving"]) == 1
    assert "request a new document" in capsys.readouterr().out

    trix_site.layout = "app-shell"
    assert await asyncio.to_thread(main, ["manual", "sync", "--quiet", "--delay", "0"]) == 1
    out = capsys.readouterr()
    assert "Manual sync failed" in out.out and "180 chapters in the index" in out.out
    assert await asyncio.to_thread(main, ["manual", "status"]) == 0
    assert [line.split()[4] for line in capsys.readouterr().out.splitlines()] == ["failed", "partial"]


async def test_manual_sync_without_an_address_says_how_to_give_one(sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("POLICYBOT_MANUAL_URL", raising=False)
    assert await asyncio.to_thread(main, ["manual", "sync"]) == 2
    assert "POLICYBOT_MANUAL_URL" in capsys.readouterr().err
