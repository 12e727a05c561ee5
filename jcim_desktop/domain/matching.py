"""The matching pipeline (マッチング): stages, the transitions allowed between them, and periods."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from jcim_desktop.domain.vocab import MATCHING_STAGES

STAGES: tuple[str, ...] = tuple(MATCHING_STAGES)
STAGE_LABELS: dict[str, str] = dict(MATCHING_STAGES)

# Field trials are separate records, but the window shows them as a step of the pipeline.
PIPELINE: tuple[str, ...] = ("considered", "established", "trial", "implemented")
PIPELINE_LABELS: dict[str, str] = {
    "considered": "検討",
    "established": "成立",
    "trial": "現場試行",
    "implemented": "社会実装",
    "dropped": "不成立",
}

# None stands for "no stage yet".
_TRANSITIONS: dict[str | None, tuple[str, ...]] = {
    None: ("considered",),
    "considered": ("established", "dropped"),
    "established": ("implemented", "dropped"),
    "implemented": (),
    "dropped": ("considered",),
}

_RANK: dict[str, int] = {"considered": 1, "established": 2, "implemented": 3}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEYS = frozenset({"stage", "on", "note"})


@dataclass(frozen=True)
class Stage:
    stage: str
    on: date
    note: str | None = None


def _label(code: str) -> str:
    return STAGE_LABELS.get(code, code)


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    return note or None


def parse_stages(raw: object) -> list[Stage]:
    """Stages from their SYNC form; ``ValueError`` (Japanese, every problem found) if malformed.

    Only the shape is checked here; the order of the stages is checked by ``stage_errors``.
    """
    if not isinstance(raw, list):
        raise ValueError("段階の一覧はリスト（配列）で指定してください。")
    problems: list[str] = []
    stages: list[Stage] = []
    for position, item in enumerate(raw, start=1):
        where = f"{position}番目の段階"
        if not isinstance(item, Mapping):
            problems.append(f"{where}の形式が正しくありません。")
            continue
        unknown = sorted(str(key) for key in item if key not in _KEYS)
        if unknown:
            problems.append(f"{where}に不明な項目「{'」「'.join(unknown)}」があります。")
        code = item.get("stage")
        if code is None or code == "":
            problems.append(f"{where}の種類がありません。")
        elif not isinstance(code, str) or code not in MATCHING_STAGES:
            problems.append(f"{where}「{code}」は選べません。{_choices_text(STAGES)}から選んでください。")
        on = _parse_date(item.get("on"))
        if isinstance(on, str):
            problems.append(f"{where}の{on}")
        note = item.get("note")
        if note is not None and not isinstance(note, str):
            problems.append(f"{where}の備考は文字列で指定してください。")
        if not problems and isinstance(code, str) and isinstance(on, date):
            stages.append(Stage(code, on, _clean_note(note if isinstance(note, str) else None)))
    if problems:
        raise ValueError("\n".join(problems))
    return stages


def _parse_date(value: object) -> date | str:
    """A date, or the tail of a Japanese message saying what is wrong with it."""
    if isinstance(value, date):
        # A datetime is a date too; only its day matters here.
        return date(value.year, value.month, value.day)
    if value is None or value == "":
        return "日付がありません。"
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return f"日付「{value}」の形式が正しくありません。YYYY-MM-DD（例: 2024-07-01）で指定してください。"
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return f"日付 {value.strip()} は存在しない日付です。"


def _choices_text(codes: Sequence[str]) -> str:
    return "".join(f"「{_label(code)}」" for code in codes)


def stage_errors(stages: Sequence[Stage]) -> list[str]:
    """Japanese messages, each naming the position, for every broken rule; empty if valid."""
    errors: list[str] = []
    previous: Stage | None = None
    for position, current in enumerate(stages, start=1):
        where = f"{position}番目の段階"
        if current.stage not in MATCHING_STAGES:
            errors.append(f"{where}「{current.stage}」は不明な段階です。")
        elif previous is None:
            if current.stage != "considered":
                errors.append(
                    f"{where}「{_label(current.stage)}」から始めることはできません。"
                    f"最初の段階は「{_label('considered')}」です。"
                )
        elif previous.stage == current.stage:
            errors.append(f"{where}「{_label(current.stage)}」が前の段階と同じです。")
        elif previous.stage == "implemented":
            errors.append(f"{where}: 「{_label('implemented')}」の後に段階は置けません。")
        elif current.stage not in _TRANSITIONS.get(previous.stage, ()):
            errors.append(f"{where}「{_label(current.stage)}」は「{_label(previous.stage)}」の後には置けません。")
        if previous is not None and current.on < previous.on:
            errors.append(
                f"{where}の日付 {current.on.isoformat()} が前の段階 {previous.on.isoformat()} より前です。"
            )
        previous = current
    return errors


def current_stage(stages: Sequence[Stage]) -> str | None:
    """The code of the latest stage, or None if there is none yet."""
    return stages[-1].stage if stages else None


def allowed_next(stages: Sequence[Stage]) -> list[str]:
    """The stage codes that may follow the latest one."""
    return list(_TRANSITIONS.get(current_stage(stages), ()))


def advance(stages: Sequence[Stage], stage: str, on: date, note: str | None = None) -> list[Stage]:
    """A new list with ``stage`` appended; ``ValueError`` with the Japanese reason if not allowed."""
    if stage not in MATCHING_STAGES:
        raise ValueError(f"段階「{stage}」は選べません。{_choices_text(STAGES)}から選んでください。")
    current = current_stage(stages)
    allowed = allowed_next(stages)
    if stage not in allowed:
        if current is None:
            raise ValueError(f"最初の段階は「{_label('considered')}」です。「{_label(stage)}」からは始められません。")
        if not allowed:
            raise ValueError(f"「{_label(current)}」に至ったマッチングはこれ以上進められません。")
        if stage == current:
            raise ValueError(f"すでに「{_label(stage)}」の段階です。")
        raise ValueError(
            f"「{_label(current)}」の次に「{_label(stage)}」は選べません。"
            f"選べるのは{_choices_text(allowed)}です。"
        )
    if stages and on < stages[-1].on:
        raise ValueError(
            f"日付 {on.isoformat()} が前の段階「{_label(current or '')}」の日付 "
            f"{stages[-1].on.isoformat()} より前です。"
        )
    return [*stages, Stage(stage, on, _clean_note(note))]


def stages_in_period(stages: Sequence[Stage], start: date, end: date) -> set[str]:
    """The codes of the stages dated within ``start`` … ``end`` (both inclusive)."""
    return {s.stage for s in stages if start <= s.on <= end}


def stage_span(stages: Sequence[Stage]) -> tuple[date | None, date | None]:
    """The first and the last date of the stages; (None, None) if there are none."""
    if not stages:
        return (None, None)
    dates = [s.on for s in stages]
    return (min(dates), max(dates))


def furthest_stage(stages: Sequence[Stage]) -> str | None:
    """The furthest of considered < established < implemented ever reached (dropped ignored)."""
    reached = [s.stage for s in stages if s.stage in _RANK]
    if not reached:
        return None
    return max(reached, key=_RANK.__getitem__)


def to_dicts(stages: Sequence[Stage]) -> list[dict[str, str]]:
    """The SYNC form of the stages; ``note`` only where there is one."""
    result: list[dict[str, str]] = []
    for s in stages:
        item = {"stage": s.stage, "on": s.on.isoformat()}
        if s.note is not None:
            item["note"] = s.note
        result.append(item)
    return result
