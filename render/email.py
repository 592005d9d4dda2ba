"""The HTML of an email: a title, paragraphs and a footer, safe to send. Pure."""

from __future__ import annotations

import html


def html_page(title: str, paragraphs: list[str], footer: str = "") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    foot = f'<p style="color:#666;font-size:12px">{html.escape(footer)}</p>' if footer else ""
    return (f'<!doctype html><html><body style="font-family:Segoe UI,Arial,sans-serif;font-size:14px">'
            f"<h2 style=\"font-size:16px\">{html.escape(title)}</h2>{body}{foot}</body></html>")
