"""HTTP rules shared by every connector that calls Microsoft's cloud: which answers to retry, and
how long the far end asked us to wait."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, UTC
from email.utils import parsedate_to_datetime

RETRYABLE_HTTP = frozenset({408, 412, 429, 500, 502, 503, 504})


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (a number, or an HTTP date); None when absent or unreadable."""
    raw = headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
