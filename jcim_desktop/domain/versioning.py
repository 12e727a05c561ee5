"""Hybrid logical clocks and version vectors: how record versions are ordered (SYNC_FORMAT §3)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

_COUNTER_MAX = 99_999
# SYNC_FORMAT §2: installation ids (the node of a stamp, the keys of a version vector) are
# canonical lowercase UUIDs, and counters are integers from 1 to 2^53 - 1.
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_SAFE_INT = 2**53 - 1
# SYNC_FORMAT §2: a stamp more than this far ahead of the reader's wall clock is refused, and the
# local clock never moves past wall clock + this, so one bad package cannot stop an installation.
MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000
# The greatest millisecond value a 13-digit stamp can carry.
_MILLIS_MAX = 10**13 - 1


@dataclass(frozen=True, order=True)
class HlcStamp:
    """A stamp ``<13-digit millis>-<5-digit counter>-<installation uuid>``; ordered like its string."""

    millis: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.millis:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> HlcStamp:
        parts = text.split("-", 2)
        if (
            len(parts) != 3
            or len(parts[0]) != 13
            or len(parts[1]) != 5
            or not parts[0].isdigit()
            or not parts[1].isdigit()
            or not parts[0].isascii()
            or not parts[1].isascii()
            or CANONICAL_UUID.fullmatch(parts[2]) is None
        ):
            raise ValueError(f"HLC の形式が正しくありません: {text!r}")
        return cls(int(parts[0]), int(parts[1]), parts[2])


def _wall_millis() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """The clock of one installation. Stamps it hands out only ever increase.

    ``last`` is the newest stamp this installation has issued or seen; persisting it lets the
    clock stay monotone across restarts even if the wall clock goes backwards.
    """

    def __init__(self, node: str, last: str | None = None, now: Callable[[], int] = _wall_millis) -> None:
        self.node = node
        self._now = now
        parsed = HlcStamp.parse(last) if last else None
        self._millis = parsed.millis if parsed else 0
        self._counter = parsed.counter if parsed else 0
        # A clock persisted by an earlier version that accepted stamps from the future is pulled
        # back within bounds: stamps stay 13 digits and keep sorting after real ones.
        self._bound()

    def limit(self) -> int:
        """The greatest millisecond value this clock may reach now (wall clock + 24 hours)."""
        return min(self._now() + MAX_CLOCK_AHEAD_MS, _MILLIS_MAX)

    def _bound(self) -> None:
        limit = self.limit()
        if self._millis > limit:
            self._millis, self._counter = limit, 0

    @property
    def last(self) -> str:
        return str(HlcStamp(self._millis, self._counter, self.node))

    def tick(self) -> str:
        """A new stamp for a local change."""
        physical = min(self._now(), _MILLIS_MAX)
        if physical > self._millis:
            self._millis, self._counter = physical, 0
        else:
            self._advance_counter()
        return self.last

    def observe(self, stamp: str) -> None:
        """Move past a stamp received from elsewhere, so the next local change sorts after it."""
        seen = HlcStamp.parse(stamp)
        if (seen.millis, seen.counter) > (self._millis, self._counter):
            self._millis, self._counter = seen.millis, seen.counter
            self._bound()

    def _advance_counter(self) -> None:
        if self._counter < _COUNTER_MAX:
            self._counter += 1
        elif self._millis < _MILLIS_MAX:
            # Out of counter space within one millisecond: borrow the next millisecond.
            self._millis += 1
            self._counter = 0
        else:
            raise OverflowError("HLC の時刻が上限（13 桁）に達しました")


class Order(str, Enum):
    EQUAL = "equal"
    DOMINATES = "dominates"
    DOMINATED = "dominated"
    CONCURRENT = "concurrent"


VersionVector = Mapping[str, int]


def vv_bump(vv: VersionVector, node: str) -> dict[str, int]:
    """A copy of ``vv`` with one more change counted for ``node``."""
    bumped = dict(vv)
    bumped[node] = bumped.get(node, 0) + 1
    return bumped


def vv_compare(a: VersionVector, b: VersionVector) -> Order:
    """How ``a`` relates to ``b``: equal, dominates (a is newer), dominated, or concurrent."""
    a_greater = b_greater = False
    for node in a.keys() | b.keys():
        x, y = a.get(node, 0), b.get(node, 0)
        if x > y:
            a_greater = True
        elif y > x:
            b_greater = True
    if a_greater and b_greater:
        return Order.CONCURRENT
    if a_greater:
        return Order.DOMINATES
    if b_greater:
        return Order.DOMINATED
    return Order.EQUAL


def vv_merge(a: VersionVector, b: VersionVector) -> dict[str, int]:
    """Element-wise maximum."""
    return {node: max(a.get(node, 0), b.get(node, 0)) for node in sorted(a.keys() | b.keys())}


def vv_is_valid(vv: object) -> bool:
    """A mapping of canonical installation UUIDs to change counts from 1 to 2^53 - 1."""
    return isinstance(vv, Mapping) and all(
        isinstance(k, str) and CANONICAL_UUID.fullmatch(k) is not None
        and isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_SAFE_INT
        for k, v in vv.items()
    )
