"""Synthetic, deterministic records for the benchmarks, and what else they share (every ``bench/*.py``).

Records: ``generate_records`` returns full SYNC_FORMAT §3 envelopes whose ``data`` passes
``jcim_desktop.domain.entities.clean``; ``iter_records`` yields the same records as a stream (one
entity after another), so that 1,000,000 of them never have to be in memory at once.

At scale (shared with ``bench/scale.py``):

- ``build_data_folder(folder, records)``: an initialised data folder holding ``records`` records of
  the 15 forums, written with the bulk Core path (``envelope_row`` + ``upsert_rows``, as
  ``load_into``) in chunks;
- ``forum_installations(packages)``: the forum installations that sign packages (deterministic
  Ed25519 keys and installation ids), and ``trust_forums(ctx, forums)`` to trust them at an
  importing installation;
- ``make_forum_packages(folder, records, packages=10, overlap=…)``: signed packages written with
  the application's own writer (``jcim_desktop.sync.package.write_package``), streamed; with
  ``overlap`` a later round that re-sends an earlier round's records in newer, older and
  concurrent versions (merge decisions and conflicts), beside new ones.

``load_into`` writes records already in memory; ``data_folder`` is the folder a benchmark fills;
``peak_mb`` the peak memory of the process.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIRST_FY, LAST_FY = 2022, 2026
# The 10 regional and the 5 national forums (SYNC_FORMAT §1; written out so that this module can
# be imported before a bench has chosen which checkout's jcim_desktop to use).
REGIONAL_FORUMS: tuple[str, ...] = ("hokkaido", "tohoku", "kanto", "hokuriku", "chubu", "kinki", "chugoku", "shikoku",
                                    "kyushu", "okinawa")
NATIONAL_FORUMS: tuple[str, ...] = ("innovative_tech", "overseas", "municipal_support", "engineer_training", "citizen")
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


BASE_EPOCH_MS = 1_650_000_000_000  # 2022-04-15: the first stamp of a first round


class _Gen:
    def __init__(self, orgs: Sequence[str], seed: int, first_fy: int = FIRST_FY, last_fy: int = LAST_FY, *,
                 nodes: Mapping[str, str] | None = None, epoch_ms: int | None = None) -> None:
        from jcim_desktop.domain.lgcodes import default_registry

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
        if nodes is not None:  # the installations that stamp each org's records (a package's signers)
            self.nodes = {org: nodes[org] for org in self.orgs}
        self.epoch_ms = BASE_EPOCH_MS if epoch_ms is None else epoch_ms
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


def iter_records(
    n: int, orgs: Sequence[str], seed: int = 1, fiscal_years: tuple[int, int] = (FIRST_FY, LAST_FY), *,
    nodes: Mapping[str, str] | None = None, epoch_ms: int | None = None,
) -> Iterator[tuple[str, Iterator[dict]]]:
    """``generate_records`` as a stream: ``(entity, envelopes)`` for each entity of ``LOAD_ORDER`` in
    turn (empty ones too); the same records for the same arguments.

    Consume each entity's envelopes before asking for the next entity (what is left of them is
    drained first). Only what later entities refer to is kept (ids, a need's date and local
    government): about 200 bytes per need, seed and matching, so 1,000,000 records stream in
    bounded memory. ``nodes`` (org → installation UUID) stamps each org's records with that
    installation (a package's signer) rather than one drawn from ``seed``; ``epoch_ms``: the
    first stamp's time.
    """
    gen = _Gen(orgs, seed, *fiscal_years, nodes=nodes, epoch_ms=epoch_ms)
    quota = _quota(n)
    needs: list[dict] = []
    seeds: list[dict] = []
    matchings: list[dict] = []

    def events() -> Iterator[dict]:
        for _ in range(quota["events"]):
            yield gen.event()

    def need_stream() -> Iterator[dict]:
        for _ in range(quota["needs"]):
            env = gen.need()
            needs.append({"id": env["id"], "owner": env["owner"], "deleted": env["deleted"],
                          "data": {"received_on": env["data"]["received_on"], "lg_code": env["data"]["lg_code"]}})
            yield env

    def seed_stream() -> Iterator[dict]:
        for _ in range(quota["seeds"]):
            env = gen.seed_record()
            seeds.append({"id": env["id"], "deleted": env["deleted"]})
            yield env

    def matching_stream() -> Iterator[dict]:
        live_needs = [r for r in needs if not r["deleted"]] or needs
        live_seeds = [r for r in seeds if not r["deleted"]] or seeds
        if not (live_needs and live_seeds):
            return
        for _ in range(quota["matchings"]):
            env = gen.matching(live_needs, live_seeds)
            matchings.append({"id": env["id"], "data": {"need_id": env["data"]["need_id"],
                                                        "seed_id": env["data"]["seed_id"]}})
            yield env

    def trial_stream() -> Iterator[dict]:
        need_by_id = {r["id"]: r for r in needs}
        for _ in range(quota["trials"]):
            yield gen.trial(matchings, need_by_id)

    def support_stream() -> Iterator[dict]:
        for _ in range(quota["support_activities"]):
            yield gen.support()

    streams = {"events": events, "needs": need_stream, "seeds": seed_stream, "matchings": matching_stream,
               "trials": trial_stream, "support_activities": support_stream}
    for entity in LOAD_ORDER:
        stream = streams[entity]()
        yield entity, stream
        for _ in stream:  # what the consumer left: drawn all the same, so later entities stay the same
            pass


def generate_records(
    n: int, orgs: list[str], seed: int = 1, fiscal_years: tuple[int, int] = (FIRST_FY, LAST_FY)
) -> dict[str, list[dict]]:
    """About ``n`` envelopes (entity → list) over ``orgs``, dated evenly over ``fiscal_years`` (first,
    last; default 2022–2026), deterministic in ``seed``."""
    return {entity: list(envelopes) for entity, envelopes in iter_records(n, orgs, seed, fiscal_years)}


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


def load_stream(ctx: Any, streams: Iterable[tuple[str, Iterable[Mapping[str, Any]]]], batch: int = 5_000,
                commit_every: int = 100_000) -> int:
    """``load_into`` for a stream of ``(entity, envelopes)`` (``iter_records``): the same bulk Core
    path, ``batch`` rows per statement, a commit every ``commit_every`` rows (bounded memory and WAL)."""
    from jcim_desktop.store.bulk import envelope_row, upsert_rows

    written = 0
    conn = ctx.db.engine.connect()
    try:
        tx = conn.begin()
        since_commit = 0
        for entity, envelopes in streams:
            rows: list[dict[str, Any]] = []
            for env in envelopes:
                rows.append(envelope_row(entity, env))
                if len(rows) >= batch:
                    written += upsert_rows(conn, entity, rows)
                    since_commit += len(rows)
                    rows = []
                    if since_commit >= commit_every:
                        tx.commit()
                        tx = conn.begin()
                        since_commit = 0
            if rows:
                written += upsert_rows(conn, entity, rows)
                since_commit += len(rows)
        tx.commit()
    finally:
        conn.close()
    return written


# -- at scale: data folders and forum packages (also bench/scale.py's) ---------------------------


def _digest(*parts: object) -> bytes:
    return hashlib.sha256(":".join(map(str, parts)).encode()).digest()


def _sub_seed(*parts: object) -> int:
    return int.from_bytes(_digest("seed", *parts)[:8], "big")


def _uuid_of(*parts: object) -> str:
    return str(uuid.UUID(bytes=_digest("uuid", *parts)[:16], version=4))


# The secretariat's targets of every fiscal year (FY2024's, SYNC_FORMAT / DESIGN).
TARGETS: dict[str, float] = {"supported_municipalities": 300, "forums_held": 50, "matching_total": 200,
                             "mayors_council_rate": 0.7, "mayors_council_activities": 10, "workshops": 5}


def master_records(seed: int = 1, fiscal_years: tuple[int, int] = (FIRST_FY, LAST_FY)) -> dict[str, list[dict]]:
    """The secretariat's records a national tally needs: every municipality's membership status
    (行政会員 about 78 %, 市区町村長会議 about 62 %, from the first fiscal year; a fifth change in
    the middle of the range) and the KPI targets of each fiscal year."""
    rng = random.Random(_sub_seed("master", seed))
    node = _uuid_of("secretariat", seed)
    counter = [0]

    def envelope(data: dict[str, Any]) -> dict[str, Any]:
        counter[0] += 1
        return {"id": _uuid_of("master", seed, counter[0]), "owner": "secretariat",
                "hlc": _stamp(BASE_EPOCH_MS + counter[0], counter[0], node), "vv": {node: 1}, "deleted": False,
                "data": data}

    from jcim_desktop.domain.lgcodes import default_registry

    first, last = fiscal_years
    middle = (first + last) // 2
    statuses = []
    for municipality in default_registry().municipalities():
        admin, mayors = rng.random() < 0.78, rng.random() < 0.62
        statuses.append(envelope({"lg_code": municipality.lg_code, "admin_member": admin, "mayors_council": mayors,
                                  "as_of": f"{first}-04-01"}))
        if rng.random() < 0.2:
            statuses.append(envelope({"lg_code": municipality.lg_code, "admin_member": not admin,
                                      "mayors_council": rng.random() < 0.7, "as_of": f"{middle}-10-01"}))
    targets = [envelope({"fiscal_year": fy, "kpi": kpi, "target": target})
               for fy in range(first, last + 1) for kpi, target in TARGETS.items()]
    return {"municipality_status": statuses, "kpi_targets": targets}


def build_data_folder(
    folder: Path, records: int, *, org: str = "secretariat", seed: int = 1, orgs: Sequence[str] | None = None,
    fiscal_years: tuple[int, int] = (FIRST_FY, LAST_FY), forums: Sequence[Forum] = (), master: bool = False,
    user_name: str = "bench", progress: Callable[[str], None] | None = None,
) -> Path:
    """A new data folder at ``folder``, initialised for ``org``, holding ``records`` generated records
    of ``orgs`` (default: the 15 forums), written in chunks with the bulk Core path; ``forums``
    are trusted there (``trust_forums``); with ``master`` also the secretariat's municipality
    statuses and targets (``master_records``: about 2,100 records more). Streams: 1,000,000
    records take a few hundred MB at most. Returns ``folder``."""
    from jcim_desktop.services.context import init_installation

    t0 = time.perf_counter()
    ctx = init_installation(org, folder, user_name=user_name)
    try:
        written = load_stream(ctx, iter_records(records, list(orgs or FORUM_ORGS), seed, fiscal_years))
        if master:
            written += load_stream(ctx, master_records(seed, fiscal_years).items())
        if forums:
            trust_forums(ctx, forums)
    finally:
        ctx.close()
    if progress is not None:
        db = folder / "jcim.sqlite3"
        size = db.stat().st_size / 1e6 if db.exists() else float("nan")
        progress(f"data folder {folder}: {written:,} records ({org}) in {time.perf_counter() - t0:.1f} s, "
                 f"database {size:.0f} MB")
    return folder


@dataclass(frozen=True)
class Forum:
    """An installation that writes and signs packages: the orgs its key may write, its UUID, its
    Ed25519 key (deterministic in the seed), and a second installation (another laptop of the
    same forum) whose edits are concurrent with the first's."""

    index: int
    orgs: tuple[str, ...]
    installation: str
    second_installation: str
    key_seed: bytes

    @property
    def private_key(self) -> Any:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.key_seed)

    @property
    def public_key(self) -> str:
        import base64

        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")


def forum_installations(packages: int = 10, seed: int = 1, orgs: Sequence[str] | None = None) -> list[Forum]:
    """``packages`` forum installations sharing ``orgs`` (default the 15 forums) round-robin: with 10,
    the first five write a regional and a national forum each, the other five one regional forum;
    with 1, one installation writes them all (one package of every record)."""
    orgs = list(orgs or FORUM_ORGS)
    if not 1 <= packages <= len(orgs):
        raise ValueError(f"packages must be from 1 to {len(orgs)}")
    return [
        Forum(k, tuple(orgs[k::packages]), _uuid_of("forum", seed, packages, k), _uuid_of("forum2", seed, packages, k),
              _digest("key", seed, packages, k))
        for k in range(packages)
    ]


def trust_forums(ctx: Any, forums: Iterable[Forum]) -> None:
    """Trust each forum's key for its orgs at the installation ``ctx`` (``trust add`` of each)."""
    from jcim_desktop.services import sync

    for forum in forums:
        sync.add_trust(ctx, forum.public_key, list(forum.orgs))


# How a later round re-sends an earlier round's record: the same version, a newer one (an edit
# by its installation), an older one (the earlier round held a later edit), or a concurrent one
# (an edit on the forum's second laptop): a conflict at the importer.
CHANGE_MIX: dict[str, float] = {"equal": 0.70, "newer": 0.15, "older": 0.05, "concurrent": 0.10}
ROUND_MS = 30 * 86_400_000  # a later round's stamps start this much after the previous round's
_EDITABLE_TEXT = {"events": "title", "needs": "title", "seeds": "summary", "trials": "title",
                  "support_activities": "note"}
_CONTACT_ENTITIES = ("needs", "seeds")


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if k < total % parts else 0) for k in range(parts)]


def _stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}-{counter % 100_000:05d}-{node}"


def _versions(envelopes: Iterable[dict], forum: Forum, share: float, mix: Mapping[str, float], rng: random.Random,
              epoch_ms: int, counter: list[int], entity: str) -> Iterator[dict]:
    """``share`` of ``envelopes`` (an earlier round's), each in a version drawn from ``mix``."""
    kinds, weights = list(mix), list(mix.values())
    text_field = _EDITABLE_TEXT.get(entity)
    for env in envelopes:
        if share < 1.0 and rng.random() >= share:
            continue
        kind = rng.choices(kinds, weights)[0]
        node = env["hlc"][20:]
        vv = dict(env["vv"])
        counter[0] += 1
        ms = epoch_ms + counter[0] * 7
        if kind == "older" and vv.get(node, 0) >= 2:
            vv[node] -= 1
            env = {**env, "vv": vv, "hlc": _stamp(int(env["hlc"][:13]) - 1, counter[0], node)}
        elif kind == "newer":
            vv[node] = vv.get(node, 0) + 1
            env = {**env, "vv": vv, "hlc": _stamp(ms, counter[0], node), "data": _edited(env, text_field, "（更新）")}
        elif kind == "concurrent":
            concurrent = {k: v - 1 for k, v in vv.items() if k == node and v > 1}
            concurrent.update({k: v for k, v in vv.items() if k != node})
            concurrent[forum.second_installation] = 1
            # Half of them win (a later stamp), half lose (an earlier one): both kinds of conflict.
            at = ms + 3 if rng.random() < 0.5 else int(env["hlc"][:13]) - 1
            env = {**env, "vv": concurrent, "hlc": _stamp(at, counter[0], forum.second_installation),
                   "data": _edited(env, text_field, "（別の端末で編集）")}
        yield env


def _edited(env: Mapping[str, Any], text_field: str | None, suffix: str) -> dict[str, Any]:
    data = dict(env["data"])
    if text_field and data.get(text_field) is not None and not env["deleted"]:
        data[text_field] = f"{data[text_field]}{suffix}"
    return data


def _without_contacts(envelopes: Iterable[dict], entity: str) -> Iterator[dict]:
    """What an export without contacts carries (``include_contacts`` false): ``contact`` null."""
    if entity not in _CONTACT_ENTITIES:
        yield from envelopes
        return
    for env in envelopes:
        if env["data"].get("contact") is not None:
            env = {**env, "data": {**env["data"], "contact": None}}
        yield env


class _LazyEntities(dict):  # type: ignore[type-arg]
    """entity → envelopes for ``write_package``: each entity's iterator is made when the writer
    reaches it (the writer consumes entities in order), from streams that must be read in order."""

    def __init__(self, make: Callable[[str], Iterator[dict]]) -> None:
        super().__init__({entity: self._deferred(make, entity) for entity in LOAD_ORDER})

    @staticmethod
    def _deferred(make: Callable[[str], Iterator[dict]], entity: str) -> Iterator[dict]:
        yield from make(entity)


def make_forum_packages(
    folder: Path, records: int, packages: int = 10, *, seed: int = 1, overlap: float = 0.0,
    earlier: int | None = None, mix: Mapping[str, float] = CHANGE_MIX, sequence: int | None = None,
    include_contacts: bool = False, fiscal_years: tuple[int, int] = (FIRST_FY, LAST_FY),
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write ``packages`` signed packages into ``folder`` (made if needed), one per forum installation
    of ``forum_installations(packages, seed)``, with the application's writer; return their paths.

    Together they hold ``records`` new records (split evenly over the packages). With ``overlap``
    (0 … 1) they are a later round: they also re-send that share of the records of the first
    round — the packages ``make_forum_packages(…, earlier, packages, seed=seed)`` wrote, regenerated
    here — each in a version drawn from ``mix`` (same, newer, older, concurrent). Importing them
    where the first round was imported runs every merge decision and opens conflicts.
    ``sequence`` defaults to 1 for a first round and 2 for a later one. Without
    ``include_contacts`` records carry ``contact: null`` (as ``export`` writes by default).
    Records are generated as they are written: memory stays bounded at 1,000,000 records.
    """
    from jcim_desktop.sync.package import write_package

    if not 0.0 <= overlap <= 1.0:
        raise ValueError("overlap is a share, from 0 to 1")
    later = overlap > 0
    sequence = sequence if sequence is not None else (2 if later else 1)
    folder.mkdir(parents=True, exist_ok=True)
    forums = forum_installations(packages, seed)
    new_counts = _split(records, packages)
    earlier_counts = _split(records if earlier is None else earlier, packages)
    paths: list[Path] = []
    t0 = time.perf_counter()
    for forum in forums:
        k = forum.index
        nodes = {org: forum.installation for org in forum.orgs}
        round_epoch = BASE_EPOCH_MS + (sequence - 1) * ROUND_MS
        new = iter_records(new_counts[k], forum.orgs, _sub_seed(seed, packages, k, sequence), fiscal_years,
                           nodes=nodes, epoch_ms=round_epoch)
        first = (iter_records(earlier_counts[k], forum.orgs, _sub_seed(seed, packages, k, 1), fiscal_years,
                              nodes=nodes, epoch_ms=BASE_EPOCH_MS) if later else None)
        rng = random.Random(_sub_seed("versions", seed, packages, k, sequence))
        # Versions' stamps come after the new records' of this round.
        counter = [0]
        versions_epoch = round_epoch + (new_counts[k] + 10) * 997

        def make(entity: str, new: Iterator[tuple[str, Iterator[dict]]] = new,
                 first: Iterator[tuple[str, Iterator[dict]]] | None = first, forum: Forum = forum,
                 rng: random.Random = rng, counter: list[int] = counter, versions_epoch: int = versions_epoch,
                 ) -> Iterator[dict]:
            parts: list[Iterable[dict]] = []
            if first is not None:
                name, old = next(first)
                assert name == entity
                parts.append(_versions(old, forum, overlap, mix, rng, versions_epoch, counter, entity))
            name, fresh = next(new)
            assert name == entity
            parts.append(fresh)
            for part in parts:
                yield from (part if include_contacts else _without_contacts(part, entity))

        path = folder / f"forum{k:02d}-{'-'.join(forum.orgs)}-seq{sequence}.jcimsync"
        write_package(path, _LazyEntities(make), origin_org=forum.orgs[0], installation_id=forum.installation,
                      app_version="bench", sequence=sequence, scope="org", private_key=forum.private_key,
                      includes_contacts=include_contacts)
        paths.append(path)
    if progress is not None:
        size = sum(p.stat().st_size for p in paths) / 1e6
        progress(f"{len(paths)} packages in {folder} ({size:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return paths


def forum_package_set(folder: Path, records: int, packages: int = 10, **options: Any) -> list[Path]:
    """``make_forum_packages`` into ``folder``, or the packages already there if an earlier call with
    the same arguments completed (``set.json`` says which); for ``--work`` folders kept across runs."""
    stamp = folder / "set.json"
    wanted = {"records": records, "packages": packages,
              **{k: v for k, v in options.items() if k != "progress"}, "version": 1}
    try:
        recorded = json.loads(stamp.read_text())
        files = [folder / name for name in recorded["files"]]
        if recorded["arguments"] == json.loads(json.dumps(wanted)) and all(f.exists() for f in files):
            return files
    except (OSError, ValueError, KeyError, TypeError):
        pass
    for old in folder.glob("*.jcimsync"):
        old.unlink()
    files = make_forum_packages(folder, records, packages, **options)
    stamp.write_text(json.dumps({"arguments": wanted, "files": [f.name for f in files]}))
    return files


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


def _dry_run(argv: list[str] | None = None) -> int:
    """``python bench/_generate.py --dry-run --records 1000000``: the first chunk of a scale run —
    records streamed, loaded with the bulk path into a new data folder, and written into one
    package — with the rates, the extrapolated time for all of them and the peak memory."""
    import argparse
    import shutil

    parser = argparse.ArgumentParser(description=_dry_run.__doc__.splitlines()[0] if _dry_run.__doc__ else None)
    parser.add_argument("--dry-run", action="store_true", required=True)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code", type=Path, help="(read by _common.select_code)")
    args = parser.parse_args(argv)
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.sync.package import write_package

    def first_chunk(seed: int) -> Iterator[tuple[str, Iterator[dict]]]:
        left = args.chunk
        for entity, envelopes in iter_records(args.records, FORUM_ORGS, seed):

            def take(envelopes: Iterator[dict] = envelopes) -> Iterator[dict]:
                nonlocal left
                for env in envelopes:
                    if left <= 0:
                        return
                    left -= 1
                    yield env

            yield entity, take()
            if left <= 0:
                return  # before the stream draws what the chunk leaves of this entity

    with tempfile.TemporaryDirectory(prefix="jcim-dry-run-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        generated = sum(1 for _, envelopes in first_chunk(args.seed) for _ in envelopes)
        gen_s = time.perf_counter() - t0
        ctx = init_installation("secretariat", root / "data", user_name="bench")
        t0 = time.perf_counter()
        loaded = load_stream(ctx, first_chunk(args.seed))
        load_s = time.perf_counter() - t0
        ctx.close()
        forum = forum_installations(1, args.seed)[0]
        t0 = time.perf_counter()
        streams = first_chunk(args.seed)
        write_package(root / "one.jcimsync", _LazyEntities(lambda entity: _next_of(streams, entity)),
                      origin_org=forum.orgs[0], installation_id=forum.installation, app_version="bench", sequence=1,
                      scope="org", private_key=forum.private_key, includes_contacts=False)
        write_s = time.perf_counter() - t0
        size = (root / "one.jcimsync").stat().st_size / 1e6
        db = (root / "data" / "jcim.sqlite3").stat().st_size / 1e6
        shutil.rmtree(root / "data")
    scale = args.records / max(generated, 1)
    print(f"first chunk of {args.records:,}: {generated:,} records")
    print(f"  generate only : {gen_s:6.1f} s ({generated / gen_s:,.0f}/s) → all {args.records:,}: ~{gen_s * scale:,.0f} s")
    print(f"  + bulk load   : {load_s:6.1f} s ({loaded / load_s:,.0f}/s, database {db:.0f} MB) → all: "
          f"~{load_s * scale:,.0f} s, ~{db * scale / 1000:.1f} GB")
    print(f"  + one package : {write_s:6.1f} s ({size:.1f} MB) → all: ~{write_s * scale:,.0f} s, ~{size * scale:,.0f} MB")
    print(f"  peak memory of this process: {peak_mb():.0f} MB")
    return 0


def _next_of(streams: Iterator[tuple[str, Iterator[dict]]], entity: str) -> Iterator[dict]:
    for name, envelopes in streams:
        if name == entity:
            yield from envelopes
            return
        for _ in envelopes:  # an entity the chunk ended before
            pass
    return


if __name__ == "__main__":
    from _common import select_code

    select_code()
    sys.exit(_dry_run())
