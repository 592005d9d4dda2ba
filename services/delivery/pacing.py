"""Pacing proactive messages under Teams' rate limits, so a burst is spread out, not rejected.

Limits per bot per conversation: 7 sends a second, 8 in 2 s, 60 in 30 s, 1,800 an hour; per app
per tenant: 50 requests a second. `Pacer.slot(conversation, tenant)` reserves the earliest moment
both allow and sleeps until then; reservations are recorded at once, so concurrent senders queue
behind each other instead of racing.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Awaitable, Callable

Window = tuple[int, float]  # (at most n sends, within w seconds)

CONVERSATION_LIMITS: tuple[Window, ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
TENANT_LIMITS: tuple[Window, ...] = ((50, 1.0),)
_MARGIN = 0.2  # seconds of slack per window: network jitter must not push two sends into one window
_LATE = 0.03  # seconds of slack per window on actual departures (from departure to the channel's clock)


class Pacer:
    def __init__(self, conversation_limits: tuple[Window, ...] = CONVERSATION_LIMITS,
                 tenant_limits: tuple[Window, ...] = TENANT_LIMITS, *,
                 now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.conversation_limits, self.tenant_limits = conversation_limits, tenant_limits
        self._now, self._sleep = now, sleep
        self._sent: dict[str, list[float]] = defaultdict(list)  # reserved send times, sorted
        self._left: dict[str, list[float]] = defaultdict(list)  # when sends really left, in order
        self._hold: dict[str, float] = {}  # a server told us to wait (429 Retry-After) until then
        self.waited = 0.0
        self._tenant_gap = 1.05 * max((w / n for n, w in tenant_limits), default=0.0)

    @staticmethod
    def _fits(times: list[float], limits: tuple[Window, ...], t: float, gap: float = 0.0) -> float | None:
        """None when a send at t keeps every window under its limit (and `gap` from its neighbours);
        else a later time to try."""
        if gap:
            i = bisect_left(times, t - gap + 1e-9)
            if i < len(times) and times[i] < t + gap:
                return times[i] + gap
        for n, w in limits:
            # Every closed window [s, s + w] that would hold t starts in [t - w, t]: check each
            # start where the count can change.
            first = bisect_left(times, t - w)
            starts = [t - w] + times[first:bisect_right(times, t)]
            for s0 in starts:
                if bisect_right(times, s0 + w) - bisect_left(times, s0) >= n:
                    return times[first] + w + _MARGIN
        return None

    def _earliest(self, key: str, limits: tuple[Window, ...], t: float, gap: float = 0.0) -> float:
        times = self._sent[key]
        horizon = max((w for _, w in limits), default=0.0)
        cut = bisect_right(times, self._now() - horizon)
        if cut:
            del times[:cut]
        t = max(t, self._hold.get(key, 0.0))
        for _ in range(10_000):
            later = self._fits(times, limits, t, gap)
            if later is None:
                return t
            t = max(later, t + 1e-6)
        return t

    def reserve(self, conversation: str, tenant: str) -> float:
        """The moment this send may go, recorded now; seconds from now to wait."""
        now = self._now()
        ckey, tkey = f"c:{conversation}", f"t:{tenant}"
        t = now
        for _ in range(100):  # each constraint only pushes later; settle them together
            # A tenant's sends are spread evenly (50 a second = one each 20 ms): sent in one burst they
            # would arrive jittered across the next window's edge.
            t2 = self._earliest(tkey, self.tenant_limits, self._earliest(ckey, self.conversation_limits, t), self._tenant_gap)
            if t2 == t:
                break
            t = t2
        insort(self._sent[ckey], t)
        insort(self._sent[tkey], t)
        return t - now

    async def slot(self, conversation: str, tenant: str) -> None:
        wait = self.reserve(conversation, tenant)
        if wait > 0:
            self.waited += wait
            await self._sleep(wait)
        # A busy event loop wakes senders late, and late sends bunch up with the punctual ones after
        # them: the channel counts arrivals, not our reservations. So the moments sends really left
        # are kept too, and a send that would put a window over its limit waits for room.
        ckey, tkey = f"c:{conversation}", f"t:{tenant}"
        for _ in range(100):
            later = max(self._room(ckey, self.conversation_limits), self._room(tkey, self.tenant_limits))
            if later <= 0:
                break
            self.waited += later
            await self._sleep(later)
        now = self._now()
        self._left[ckey].append(now)
        self._left[tkey].append(now)

    def _room(self, key: str, limits: tuple[Window, ...]) -> float:
        """Seconds until a send now keeps every window (widened by _LATE) of actual departures under its limit."""
        left, now = self._left[key], self._now()
        horizon = max((w for _, w in limits), default=0.0) + _LATE
        cut = bisect_right(left, now - horizon)
        if cut:
            del left[:cut]
        wait = 0.0
        for n, w in limits:
            if len(left) >= n and left[-n] > now - w - _LATE:  # the n-th latest departure is still inside
                wait = max(wait, left[-n] + w + _LATE - now)
        return wait

    def hold(self, conversation: str, seconds: float) -> None:
        """The channel answered 429 with Retry-After: nothing more to that conversation until then."""
        key = f"c:{conversation}"
        self._hold[key] = max(self._hold.get(key, 0.0), self._now() + seconds)


def floor_seconds(per_conversation: dict[str, int], per_tenant: dict[str, int],
                  conversation_limits: tuple[Window, ...] = CONVERSATION_LIMITS,
                  tenant_limits: tuple[Window, ...] = TENANT_LIMITS) -> float:
    """The least time the limits allow for a burst of this shape (for the benchmark's yardstick)."""
    def one(n: int, limits: tuple[Window, ...]) -> float:
        best = 0.0
        for limit, w in limits:
            if n > limit:
                best = max(best, ((n - 1) // limit) * w)
        return best

    worst_conv = max((one(n, conversation_limits) for n in per_conversation.values()), default=0.0)
    worst_tenant = max((one(n, tenant_limits) for n in per_tenant.values()), default=0.0)
    return max(worst_conv, worst_tenant)
