"""Hybrid logical clocks stay within SYNC_FORMAT §2's bounds whatever they are shown."""

from __future__ import annotations

import pytest

from jcim_desktop.domain.versioning import MAX_CLOCK_AHEAD_MS, HlcStamp, HybridClock, vv_is_valid

NODE = "5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
NOW = 1_780_000_000_000


def clock(last: str | None = None, now: int = NOW) -> HybridClock:
    return HybridClock(NODE, last, now=lambda: now)


def test_a_stamp_from_the_future_moves_the_clock_at_most_24_hours_ahead():
    c = clock()
    c.observe(f"9999999999999-99999-{NODE}")
    stamp = HlcStamp.parse(c.tick())
    assert stamp.millis == NOW + MAX_CLOCK_AHEAD_MS
    for _ in range(200_001):  # more than one millisecond's worth of counter
        text = c.tick()
    assert len(text.split("-")[0]) == 13


def test_a_poisoned_persisted_clock_is_pulled_back():
    c = clock(f"9999999999999-99999-{NODE}")
    assert HlcStamp.parse(c.tick()).millis == NOW + MAX_CLOCK_AHEAD_MS


def test_a_clock_a_little_ahead_is_kept_and_stays_monotone():
    ahead = f"{NOW + 3_600_000:013d}-00007-{NODE}"
    c = clock(ahead)
    assert c.tick() > ahead


def test_the_13_digit_ceiling_is_never_crossed():
    c = clock(f"9999999999999-99998-{NODE}", now=10**13 + 5)
    c.tick()
    with pytest.raises(OverflowError):
        c.tick()


@pytest.mark.parametrize(("vv", "ok"), [
    ({NODE: 1}, True), ({NODE: 2**53 - 1}, True), ({NODE: 0}, False), ({NODE: 2**53}, False),
    ({NODE.upper(): 1}, False), ({"node-a": 1}, False), ({NODE: True}, False), ({NODE: 1.0}, False),
])
def test_version_vectors_use_canonical_ids_and_safe_counters(vv, ok):
    assert vv_is_valid(vv) is ok
