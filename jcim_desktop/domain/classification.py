"""One classification: what an activity is, whatever way it was entered.

A field trial (実証実験・現場試行) counts in 現場試行数 only when it is stored as a trial, not
as an event of type その他. The rule that a title *reads as* a trial lives here, so that the
event dialog (a warning), the activity-plan Excel import (a note in the preview) and the demo
loader (plan rows stored as trials) agree; so does what a trial takes over from an event.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

TRIAL_KIND = "trial"
"""The 種別 code of the activity-plan sheet that makes a row a trial record (not an event type)."""
TRIAL_KIND_LABEL = "実証実験・現場試行"
"""How the activity-plan sheet and the dialogs name a trial among the event types."""

TRIAL_WORDS: tuple[str, ...] = ("実証", "試行", "現場試験")
"""Words of a title that say the activity is a field trial."""
GATHERING_WORDS: tuple[str, ...] = (
    "報告会", "説明会", "発表会", "見学会", "検討会", "意見交換会", "成果報告", "セミナー", "フォーラム",
    "シンポジウム", "勉強会", "ワークショップ", "講演", "講習", "研修", "会議", "ピッチ", "マッチング", "出展",
)
"""Words of a title that make it a gathering *about* trials (実証実験報告会), not a trial."""

_SERIES_RE = re.compile(r"第(\d+)回")


def _normal(title: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", title or "").split())


def reads_as_trial(title: str | None) -> bool:
    """Whether ``title`` names a field trial: 「第3回実証試験」「現場試行（福山市）」 do,
    「実証実験報告会」「フォーラム」 do not."""
    text = _normal(title)
    if not any(word in text for word in TRIAL_WORDS):
        return False
    return not any(word in text for word in GATHERING_WORDS)


def series_no(title: str | None) -> int | None:
    """N of 第N回 in a title (全角 digits too), or None."""
    match = _SERIES_RE.search(unicodedata.normalize("NFKC", title or ""))
    return int(match.group(1)) if match else None


OCCURRENCE_FIELDS: tuple[str, ...] = ("title", "series_no", "planned", "status", "held_from", "held_to")
"""What a trial takes over from an event as it is: the activity, its plan and its dates."""


def trial_from_event(event: Mapping[str, Any], lg_code: str | None = None) -> dict[str, Any]:
    """The data of the trial an event becomes (not validated).

    The title, 開催回, plan, status and dates are carried over; ``lg_code`` is the one given, or
    the event's only local government (None when it has none or several: someone must choose).
    A trial has no 内容, 会場 or 参加者数: they are kept in the trial's 結果 (its one free text),
    one line each (「内容: …」「会場: …」「参加者数: 30人」), so nothing typed is lost.
    The series number is read from the title when the event has none.
    """
    data: dict[str, Any] = {name: event.get(name) for name in OCCURRENCE_FIELDS}
    if data["series_no"] is None:
        data["series_no"] = series_no(event.get("title"))
    codes = [str(c) for c in event.get("lg_codes") or []]
    data["lg_code"] = lg_code if lg_code is not None else (codes[0] if len(codes) == 1 else None)
    lines: list[str] = []
    if event.get("description"):
        lines.append(f"内容: {str(event['description']).strip()}")
    if event.get("venue"):
        lines.append(f"会場: {event['venue']}")
    if event.get("participants") not in (None, ""):
        lines.append(f"参加者数: {event['participants']}人")
    data["result"] = "\n".join(lines) or None
    return data
