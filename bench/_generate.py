"""Synthetic, deterministic records for the benchmarks, and what else they share (every ``bench/*.py``).

``generate_records`` returns full SYNC_FORMAT §3 envelopes whose ``data`` passes
``jcim_desktop.domain.entities.clean``; ``load_into`` writes them with the bulk Core path.
``data_folder`` is the folder a benchmark fills; ``peak_mb`` the peak memory of the process.
"""

from __future__ import annotations

import calendar
import random
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jcim_desktop.domain.lgcodes import default_registry
from jcim_desktop.domain.orgs import NATIONAL_FORUMS, REGIONAL_FORUMS

FIRST_FY, LAST_FY = 2022, 2026
# The 10 regional and the 5 national forums.
FORUM_ORGS: list[str] = [*REGIONAL_FORUMS, *NATIONAL_FORUMS]

# Share of each entity in the records generated (the rest, after rounding, goes to events).
MIX: dict[str, float] = {
    "events": 0.40,
    "needs": 0.20,
    "seeds": 0.12,
    "matchings": 0.12,
    "trials": 0.08,
    "support_activities": 0.08,
}
TOMBSTONE_SHARE = 0.02
# Writing order: what a record refers to comes first.
LOAD_ORDER: tuple[str, ...] = ("events", "needs", "seeds", "matchings", "trials", "support_activities")

_EVENT_TYPES = (
    ("forum", 14), ("seminar", 18), ("workshop", 10), ("outreach_class", 8), ("matching_event", 5),
    ("pitch_event", 4), ("municipality_visit", 12), ("mayors_council_meeting", 3), ("exhibition", 5),
    ("lecture", 6), ("meeting", 12), ("other", 3),
)
_EVENT_TITLES = {
    "forum": "インフラメンテナンスフォーラム", "seminar": "維持管理セミナー", "workshop": "点検技術勉強会",
    "outreach_class": "小学校出前授業", "matching_event": "技術マッチング会", "pitch_event": "技術ピッチ",
    "municipality_visit": "自治体訪問ヒアリング", "mayors_council_meeting": "市区町村長会議 地域会合",
    "exhibition": "技術展示会への出展", "lecture": "大学講義", "meeting": "運営会議", "other": "その他活動",
}
_STATUSES = (("held", 66), ("planned", 12), ("confirmed", 9), ("postponed", 5), ("cancelled", 8))
_FACILITIES = (
    "road", "bridge", "tunnel", "river", "sabo", "coast", "port", "sewerage", "water_supply", "park",
    "building", "airport", "other",
)
_NEED_STATUSES = (("open", 40), ("matching", 30), ("resolved", 20), ("withdrawn", 10))
_SUPPORT_KINDS = ("needs_hearing", "visit", "hands_on_advice", "consultation", "other")
_COUNTRIES = ("VN", "TH", "ID", "PH", "MY", "IN", "MM", "KH", "LA", "BD", "LK", "MN", "US", "GB")
_COMPANIES = (
    "株式会社メンテック", "東洋点検工業株式会社", "インフラセンシング合同会社", "株式会社ブリッジアイ",
    "日本ドローン測量株式会社", "株式会社スマート管路", "北辰コンサルタント株式会社", "（株）みらい構造",
    "合同会社トンネルラボ", "株式会社アクア診断",
)
_TECHS = (
    "ドローンによる橋梁点検", "AI画像診断によるひび割れ検出", "管路内カメラ調査ロボット", "打音点検支援装置",
    "衛星SARによる変位計測", "赤外線によるトンネル覆工診断", "IoT水位センサー", "舗装損傷の自動判定",
)
_NEED_TITLES = (
    "橋梁点検の効率化", "下水道管路の劣化診断", "道路附属物の点検省力化", "トンネル覆工の変状把握",
    "河川堤防の巡視支援", "上水道の漏水検知", "公園遊具の安全点検", "舗装の維持管理計画",
)
_PRECISIONS = (("day", 35), ("month", 25), ("quarter", 15), ("dekad", 10), ("year", 8), ("undecided", 7))
_DEKADS = ("上旬", "中旬", "下旬")


def _weighted(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _quota(n: int) -> dict[str, int]:
    counts = {entity: int(n * share) for entity, share in MIX.items()}
    counts["events"] += n - sum(counts.values())
    return counts


class _Gen:
    def __init__(self, orgs: Sequence[str], seed: int, first_fy: int = FIRST_FY, last_fy: int = LAST_FY) -> None:
        self.rng = random.Random(seed)
        self.orgs = list(orgs)
        registry = default_registry()
        regional = set(REGIONAL_FORUMS)
        all_codes = [m.lg_code for m in registry.municipalities()]
        pref_codes = [p.lg_code for p in registry.prefectures()]
        # A regional forum supports the local governments of its block; a national one, any.
        self.lg_pool: dict[str, list[str]] = {}
        for org in self.orgs:
            if org in regional:
                codes = [
                    e.lg_code for e in registry.all() if registry.block_of_prefecture(e.pref_code) == org
                ]
                self.lg_pool[org] = codes or all_codes
            else:
                self.lg_pool[org] = all_codes + pref_codes
        # One installation per org writes its records; a few records also carry a second node.
        self.nodes = {org: self._uuid() for org in self.orgs}
        self.secretariat_node = self._uuid()
        self.epoch_ms = 1_650_000_000_000  # 2022-04-15
        self.first_day = date(first_fy, 4, 1)
        self.days = (date(last_fy + 1, 3, 31) - self.first_day).days + 1
        self.event_types = _weighted(_EVENT_TYPES)
        self.statuses = _weighted(_STATUSES)
        self.need_statuses = _weighted(_NEED_STATUSES)
        self.precisions = _weighted(_PRECISIONS)
        self.counter = 0

    # -- small pieces -----------------------------------------------------------------

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def pick(self, choices: tuple[list[str], list[int]]) -> str:
        return self.rng.choices(choices[0], choices[1])[0]

    def org(self) -> str:
        return self.rng.choice(self.orgs)

    def day(self, after: date | None = None, within: int | None = None) -> date:
        if after is None:
            return self.first_day + timedelta(days=self.rng.randrange(self.days))
        return after + timedelta(days=self.rng.randrange(within or 1))

    def lg_code(self, org: str) -> str:
        return self.rng.choice(self.lg_pool[org])

    def lg_codes(self, org: str) -> list[str]:
        k = self.rng.choices((0, 1, 2, 3), (25, 40, 20, 15))[0]
        return list(dict.fromkeys(self.lg_code(org) for _ in range(k)))

    def facility_types(self) -> list[str]:
        return self.rng.sample(_FACILITIES, self.rng.choice((1, 1, 2, 3)))

    def contact(self) -> dict[str, str | None] | None:
        if self.rng.random() < 0.4:
            return None
        n = self.rng.randrange(1000)
        return {
            "name": f"担当 太郎{n}",
            "department": "建設部 道路課",
            "email": f"tanto{n}@example.lg.jp",
            "phone": f"03-1234-{n:04d}",
        }

    def planned(self, around: date) -> dict[str, Any]:
        precision = self.pick(self.precisions)
        fy = around.year if around.month >= 4 else around.year - 1
        tentative = self.rng.random() < 0.2
        if precision == "day":
            start = end = around
            text = f"{around.year}年{around.month}月{around.day}日"
        elif precision == "month":
            start = around.replace(day=1)
            end = around.replace(day=calendar.monthrange(around.year, around.month)[1])
            text = f"{around.month}月頃"
        elif precision == "dekad":
            part = min(around.day - 1, 29) // 10
            last = calendar.monthrange(around.year, around.month)[1]
            start = around.replace(day=1 + 10 * part)
            end = around.replace(day=last if part == 2 else 10 * (part + 1))
            text = f"{around.month}月{_DEKADS[part]}"
        elif precision == "quarter":
            q = ((around.month - 4) % 12) // 3  # 0..3 within the fiscal year
            first_month = 4 + 3 * q
            year = fy if first_month <= 12 else fy + 1
            first_month = (first_month - 1) % 12 + 1
            start = date(year, first_month, 1)
            last_month = first_month + 2
            end = date(year, last_month, calendar.monthrange(year, last_month)[1])
            text = f"第{q + 1}四半期"
        elif precision == "year":
            start, end = date(fy, 4, 1), date(fy + 1, 3, 31)
            text = "通年"
        else:
            if self.rng.random() < 0.5:
                return {"text": "未定", "start": None, "end": None, "precision": "undecided", "tentative": False}
            start, end = date(fy, 4, 1), date(fy + 1, 3, 31)
            text = "年度内（未定）"
        return {
            "text": text,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "precision": precision,
            "tentative": tentative,
        }

    def envelope(self, org: str, data: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        node = self.nodes.get(org, self.secretariat_node)
        ms = self.epoch_ms + self.counter * 997 + self.rng.randrange(997)
        vv = {node: self.rng.randint(1, 4)}
        if self.rng.random() < 0.05:
            vv[self.secretariat_node] = 1
        return {
            "id": self._uuid(),
            "owner": org,
            "hlc": f"{ms:013d}-{self.counter % 100_000:05d}-{node}",
            "vv": vv,
            "deleted": self.rng.random() < TOMBSTONE_SHARE,
            "data": data,
        }

    # -- entities ---------------------------------------------------------------------

    def event(self) -> dict[str, Any]:
        org = self.org()
        event_type = self.pick(self.event_types)
        status = self.pick(self.statuses)
        when = self.day()
        held_from = held_to = None
        if status == "held" or (status == "confirmed" and self.rng.random() < 0.3):
            held_from = when
            held_to = when + timedelta(days=self.rng.choice((0, 0, 0, 0, 1, 2)))
        counts_as_forum = event_type == "forum" or (event_type == "seminar" and self.rng.random() < 0.3)
        data: dict[str, Any] = {
            "title": f"{_EVENT_TITLES[event_type]} {when.year}",
            "event_type": event_type,
            "planned": self.planned(when),
            "status": status,
            "held_from": held_from.isoformat() if held_from else None,
            "held_to": held_to.isoformat() if held_to else None,
            "venue": self.rng.choice((None, "市民会館 大ホール", "オンライン", "県庁 第1会議室")),
            "description": self.rng.choice((None, "点検・診断技術の紹介と意見交換。")),
            "series_no": self.rng.choice((None, self.rng.randint(1, 20))),
            "lg_codes": self.lg_codes(org),
            "participants": self.rng.randint(5, 300) if held_from else None,
            "counts_as_forum": counts_as_forum,
            "co_hosts": [],
        }
        return self.envelope(org, data)

    def need(self) -> dict[str, Any]:
        org = self.org()
        received = self.day()
        data = {
            "lg_code": self.lg_code(org),
            "title": self.rng.choice(_NEED_TITLES),
            "facility_types": self.facility_types(),
            "requirements": "少人数で点検でき、費用を抑えられること。",
            "received_on": received.isoformat(),
            "survey": self.rng.choice((None, f"第{self.rng.randint(1, 8)}回ニーズ調査")),
            "status": self.pick(self.need_statuses),
            "contact": self.contact(),
        }
        return self.envelope(org, data)

    def seed_record(self) -> dict[str, Any]:
        org = self.org()
        registered = self.day() if self.rng.random() < 0.7 else None
        data = {
            "company": self.rng.choice(_COMPANIES),
            "tech_name": self.rng.choice(_TECHS),
            "summary": "現場の点検作業を省力化する技術。",
            "facility_types": self.facility_types(),
            "netis_no": f"KT-{self.rng.randint(100000, 999999)}-A" if self.rng.random() < 0.3 else None,
            "registered_on": registered.isoformat() if registered else None,
            "contact": self.contact(),
        }
        return self.envelope(org, data)

    def stages(self, start: date) -> list[dict[str, Any]]:
        on = start
        stages: list[dict[str, Any]] = [{"stage": "considered", "on": on.isoformat()}]
        length = self.rng.choices((1, 2, 3), (45, 35, 20))[0]
        current = "considered"
        while len(stages) < length:
            on = self.day(on, 200)
            if current == "considered":
                current = "established" if self.rng.random() < 0.8 else "dropped"
            else:  # established
                current = "implemented" if self.rng.random() < 0.75 else "dropped"
            stage: dict[str, Any] = {"stage": current, "on": on.isoformat()}
            if self.rng.random() < 0.1:
                stage["note"] = "協議結果を記録"
            stages.append(stage)
            if current == "dropped":
                break
        return stages

    def matching(self, needs: Sequence[Mapping[str, Any]], seeds: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        need = self.rng.choice(needs)
        org = need["owner"] if self.rng.random() < 0.85 else self.org()
        received = date.fromisoformat(need["data"]["received_on"])
        data = {
            "need_id": need["id"],
            "seed_id": self.rng.choice(seeds)["id"],
            "pitch_event_id": None,
            "stages": self.stages(self.day(received, 120)),
        }
        return self.envelope(org, data)

    def trial(self, matchings: Sequence[Mapping[str, Any]], need_by_id: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        org = self.org()
        when = self.day()
        status = self.pick(self.statuses)
        held_from = when if status == "held" else None
        data: dict[str, Any] = {
            "title": f"{self.rng.choice(_TECHS)}の現場試行",
            "series_no": self.rng.choice((None, 1, 2)),
            "lg_code": self.lg_code(org),
            "matching_id": None,
            "need_id": None,
            "seed_id": None,
            "pitch_event_id": None,
            "planned": self.planned(when),
            "status": status,
            "held_from": held_from.isoformat() if held_from else None,
            "held_to": (held_from + timedelta(days=self.rng.randint(0, 30))).isoformat() if held_from else None,
            "result": "良好" if held_from and self.rng.random() < 0.5 else None,
        }
        if matchings and self.rng.random() < 0.5:
            m = self.rng.choice(matchings)
            need = need_by_id.get(m["data"]["need_id"])
            data.update(matching_id=m["id"], need_id=m["data"]["need_id"], seed_id=m["data"]["seed_id"])
            if need is not None:
                data["lg_code"] = need["data"]["lg_code"]
        return self.envelope(org, data)

    def support(self) -> dict[str, Any]:
        org = self.org()
        overseas = org == "overseas"
        data = {
            "kind": self.rng.choice(_SUPPORT_KINDS),
            "on": self.day().isoformat(),
            "lg_code": None if overseas else self.lg_code(org),
            "country": self.rng.choice(_COUNTRIES) if overseas else None,
            "note": self.rng.choice((None, "技術相談に対応")),
        }
        return self.envelope(org, data)


def generate_records(
    n: int, orgs: list[str], seed: int = 1, fiscal_years: tuple[int, int] = (FIRST_FY, LAST_FY)
) -> dict[str, list[dict]]:
    """About ``n`` envelopes (entity → list) over ``orgs``, dated evenly over ``fiscal_years`` (first,
    last; default 2022–2026), deterministic in ``seed``."""
    gen = _Gen(orgs, seed, *fiscal_years)
    quota = _quota(n)
    out: dict[str, list[dict]] = {}
    out["events"] = [gen.event() for _ in range(quota["events"])]
    out["needs"] = [gen.need() for _ in range(quota["needs"])]
    out["seeds"] = [gen.seed_record() for _ in range(quota["seeds"])]
    live_needs = [r for r in out["needs"] if not r["deleted"]] or out["needs"]
    live_seeds = [r for r in out["seeds"] if not r["deleted"]] or out["seeds"]
    out["matchings"] = (
        [gen.matching(live_needs, live_seeds) for _ in range(quota["matchings"])] if live_needs and live_seeds else []
    )
    need_by_id = {r["id"]: r for r in out["needs"]}
    out["trials"] = [gen.trial(out["matchings"], need_by_id) for _ in range(quota["trials"])]
    out["support_activities"] = [gen.support() for _ in range(quota["support_activities"])]
    return out


def load_into(ctx: Any, records: Mapping[str, Sequence[Mapping[str, Any]]], batch: int = 5_000) -> int:
    """Write every envelope with ``upsert_rows`` in one transaction, ``batch`` rows per statement."""
    from jcim_desktop.store.bulk import envelope_row, upsert_rows

    written = 0
    with ctx.db.engine.begin() as conn:
        for entity in [e for e in LOAD_ORDER if e in records] + [e for e in records if e not in LOAD_ORDER]:
            envelopes = records[entity]
            for i in range(0, len(envelopes), batch):
                rows = [envelope_row(entity, env) for env in envelopes[i : i + batch]]
                written += upsert_rows(conn, entity, rows)
    return written


@contextmanager
def data_folder(path: str | None) -> Iterator[Path]:
    """The data folder a benchmark works in: ``path`` if given (made or reused, and kept), else a
    folder in a temporary directory that is removed on leaving."""
    if path:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="jcim-bench-") as tmp:
        yield Path(tmp) / "data"


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (NaN where it cannot be read).

    On Linux ``ru_maxrss`` survives fork+exec, so a child started by the (large) generating
    process would report the parent's peak; VmHWM belongs to the process's own address space.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
