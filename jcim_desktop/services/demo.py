"""Demo data (デモデータ): a realistic, deterministic set of records to try the application with.

``load_demo`` fills an empty database with the FY2024 (令和6年度) plan of this installation's
forum (``resources/r6_regional_plan.json``) as events — the plan's field trials (「第13回実証試験」,
``classification.reads_as_trial``) as trials, so that they count in 現場試行数 — a re-planned
set for the current fiscal year, and per forum a small set of needs, seeds, matchings, trials,
support activities and a pitch event; for every installation also the municipality master and
the KPI targets. The texts the small sets are drawn from (needs, seeds, notes, names, venues,
the national forums' events) are data, in ``resources/demo/demo_data.json``; this module holds
only the rules of drawing.

Records this installation may write go through ``records.create_many`` (stamped and audited).
Records of other organisations (the regional forums' records at the secretariat, the
secretariat's master and targets at a forum) are written whole with ``store.bulk``, as if
they had arrived in that organisation's package from a simulated installation of it.

Each forum's data comes from ``random.Random`` seeded with the forum's code, so the data of
one forum is the same at the forum's own installation and at the secretariat's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import random
import re
import time
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain import kpi
from jcim_desktop.domain.classification import reads_as_trial, series_no, trial_from_event
from jcim_desktop.domain.dates import PlannedDate, parse_planned
from jcim_desktop.domain.entities import ENTITY_LABELS
from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.domain.lgcodes import LocalGovernment
from jcim_desktop.domain.orgs import NATIONAL_FORUMS, ORGS, REGIONAL_FORUMS, SECRETARIAT, OrgKind
from jcim_desktop.errors import UserError
from jcim_desktop.paths import resource_path
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.bulk import envelope_row, upsert_rows
from jcim_desktop.store.models import Event, MunicipalityStatus

PLAN_FILE = "r6_regional_plan.json"
DATA_DIR = "demo"
DATA_FILE = "demo_data.json"
PLAN_FISCAL_YEAR = 2024
STATUS_AS_OF = dt.date(2024, 3, 18)
ADMIN_MEMBERS = 1362
"""行政会員 on 2024-03-18 (DESIGN.md)."""
MAYORS_COUNCIL_MEMBERS = 1088
"""市区町村長会議 参画 on 2024-03-18 (DESIGN.md)."""

ALREADY_LOADED = "デモデータは既に読み込まれています。"

# Written in this order, so that a record is stored after the records it refers to.
FICTITIOUS_MARK = "（架空）"
"""Ends the name of every contact of the demo: plainly invented personal data."""
EXAMPLE_DOMAIN = "example.jp"
"""Every e-mail address of the demo is under this domain (reserved for examples)."""


def _example_domain(domain: str | None) -> str:
    """A company's demo domain (``mirai-keisoku.example.co.jp``) under example.jp
    (``mirai-keisoku.example.jp``); a municipality's: ``city.example.jp``."""
    if not domain:
        return f"city.{EXAMPLE_DOMAIN}"
    head = domain.split("example.", 1)[0].rstrip(".")
    return f"{head}.{EXAMPLE_DOMAIN}" if head else EXAMPLE_DOMAIN


_ENTITY_ORDER: tuple[str, ...] = (
    "events",
    "needs",
    "seeds",
    "pitch_presentations",
    "matchings",
    "trials",
    "support_activities",
    "municipality_status",
    "kpi_targets",
    "closed_tallies",
)
_REFERENCE_FIELDS: tuple[str, ...] = ("event_id", "need_id", "seed_id", "matching_id", "pitch_event_id")

# -- event types ------------------------------------------------------------------------------

# First rule that matches wins; the order settles titles that name two kinds
# (「建設技術フォーラム」へのブース出展 is an exhibition, 市区町村長会議… a mayors' council event).
_EVENT_TYPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mayors_council_meeting", ("市区町村長会議",)),
    ("exhibition", ("出展", "EE東北")),
    ("outreach_class", ("出前授業",)),
    ("pitch_event", ("ピッチ",)),
    ("matching_event", ("マッチング",)),
    ("municipality_visit", ("自治体訪問", "ヒアリング", "ニーズ調査", "ニーズの調査")),
    ("workshop", ("ワークショップ", "勉強会")),
    ("seminar", ("セミナー", "講演会", "講習会")),
    ("forum", ("フォーラム", "シンポジウム")),
    ("lecture", ("講義",)),
    ("meeting", ("会議", "ミーティング")),
)

_ERA_YEAR_RE = re.compile(r"(令和|R)(\d+)(?=[年.])")


def infer_event_type(title: str) -> str:
    """The event type a plan's title suggests (``other`` when it names none)."""
    text = unicodedata.normalize("NFKC", title)
    for event_type, words in _EVENT_TYPE_RULES:
        if any(unicodedata.normalize("NFKC", w) in text for w in words):
            return event_type
    return "other"


def shift_years(text: str, fiscal_year: int, base_year: int = PLAN_FISCAL_YEAR) -> str:
    """A plan text of FY ``base_year`` rewritten for ``fiscal_year`` (R6 → R8, 2024 → 2026, '24 → '26)."""
    delta = fiscal_year - base_year
    if delta == 0:
        return text
    shifted = _ERA_YEAR_RE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + delta}", text)
    shifted = shifted.replace(str(base_year), str(fiscal_year))
    return shifted.replace(f"'{base_year % 100:02d}", f"'{fiscal_year % 100:02d}")


# -- the pools the small sets are drawn from (resources/demo/demo_data.json) ---------------------


@dataclass(frozen=True)
class _NeedTemplate:
    title: str
    facility_types: tuple[str, ...]
    requirements: str


@dataclass(frozen=True)
class _SeedTemplate:
    company: str
    tech_name: str
    summary: str
    facility_types: tuple[str, ...]
    netis_no: str | None
    domain: str


@dataclass(frozen=True)
class _Pools:
    """The contents of ``DATA_FILE``; the draws depend on the order of every list."""

    needs: tuple[_NeedTemplate, ...]
    seeds: tuple[_SeedTemplate, ...]
    company_pairs: tuple[tuple[int, int], ...]
    """Indexes into ``seeds`` of two spellings of one company (same company, different forms)."""
    drop_notes: tuple[str, ...]
    implement_notes: tuple[str, ...]
    trial_results: tuple[str, ...]
    support_notes: dict[str, tuple[str, ...]]
    overseas_activities: tuple[tuple[str, str], ...]
    """(country, note) of the overseas forum's support activities."""
    venues: tuple[str, ...]
    surnames: tuple[str, ...]
    given_names: tuple[str, ...]
    municipal_departments: tuple[str, ...]
    company_departments: tuple[str, ...]
    national_events: dict[str, tuple[tuple[str, str, str], ...]]
    """The national forums have no entries in the regional plan: a few typical events of theirs
    (title, planned, description)."""


@functools.cache
def _pools() -> _Pools:
    with open(resource_path(DATA_DIR) / DATA_FILE, encoding="utf-8") as f:
        raw = json.load(f)
    return _Pools(
        needs=tuple(_NeedTemplate(n["title"], tuple(n["facility_types"]), n["requirements"]) for n in raw["needs"]),
        seeds=tuple(
            _SeedTemplate(s["company"], s["tech_name"], s["summary"], tuple(s["facility_types"]), s["netis_no"],
                          s["domain"])
            for s in raw["seeds"]
        ),
        company_pairs=tuple((int(a), int(b)) for a, b in raw["company_pairs"]),
        drop_notes=tuple(raw["drop_notes"]),
        implement_notes=tuple(raw["implement_notes"]),
        trial_results=tuple(raw["trial_results"]),
        support_notes={kind: tuple(notes) for kind, notes in raw["support_notes"].items()},
        overseas_activities=tuple((a["country"], a["note"]) for a in raw["overseas_activities"]),
        venues=tuple(raw["venues"]),
        surnames=tuple(raw["surnames"]),
        given_names=tuple(raw["given_names"]),
        municipal_departments=tuple(raw["municipal_departments"]),
        company_departments=tuple(raw["company_departments"]),
        national_events={
            org: tuple((e["title"], e["planned"], e["description"]) for e in events)
            for org, events in raw["national_events"].items()
        },
    )


_FORUM_SEATS: dict[str, str] = {
    "hokkaido": "北海道札幌市", "tohoku": "宮城県仙台市", "kanto": "埼玉県さいたま市", "hokuriku": "新潟県新潟市",
    "chubu": "愛知県名古屋市", "kinki": "大阪府大阪市", "chugoku": "広島県広島市", "shikoku": "香川県高松市",
    "kyushu": "福岡県福岡市", "okinawa": "沖縄県那覇市",
}
"""Where each regional forum's bureau (地方整備局 …) sits: the place of a plan's trial that names none."""

_SUPPORT_KIND_CYCLE = ("needs_hearing", "visit", "hands_on_advice", "consultation", "visit", "consultation")


# -- building the records ---------------------------------------------------------------------


@dataclass
class _Item:
    entity: str
    owner: str
    id: str
    data: dict[str, Any]


@dataclass
class _Batch:
    items: list[_Item] = field(default_factory=list)

    def add(self, entity: str, owner: str, data: dict[str, Any]) -> str:
        item = _Item(entity, owner, str(uuid.uuid4()), data)
        self.items.append(item)
        return item.id


@dataclass(frozen=True)
class PlanEntry:
    org: str
    title: str
    planned: str
    description: str
    event_type: str | None = None


def plan_entries() -> list[PlanEntry]:
    """The 58 FY2024 entries of the regional forums' plan, in the order of the file."""
    with open(resource_path(PLAN_FILE), encoding="utf-8") as f:
        raw = json.load(f)
    return [PlanEntry(e["org"], e["title"], e["planned"], e.get("description") or "") for e in raw["events"]]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _random_day(rng: random.Random, lo: dt.date, hi: dt.date, *, weekday: bool = True) -> dt.date:
    """A day in lo … hi, a weekday where one can be found."""
    span = max((hi - lo).days, 0)
    day = lo + dt.timedelta(days=rng.randint(0, span))
    if weekday:
        for _ in range(8):
            if day.weekday() < 5 and not _is_year_end_holiday(day):
                break
            day = lo + dt.timedelta(days=rng.randint(0, span))
    return day


def _is_year_end_holiday(day: dt.date) -> bool:
    """年末年始 (12-29 … 01-03), when municipal offices are closed."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def _month_day(rng: random.Random, year: int, month: int, lo: int = 1, hi: int = 28) -> dt.date:
    return _random_day(rng, dt.date(year, month, lo), dt.date(year, month, hi))


class _ForumBuilder:
    """The demo records of one forum (or national forum), drawn from ``Random(forum)``."""

    def __init__(self, ctx: AppContext, batch: _Batch, forum: str, today: dt.date) -> None:
        self.ctx = ctx
        self.batch = batch
        self.forum = forum
        self.today = today
        self.current_fy = fiscal_year_of(today)
        self.rng = random.Random(forum)
        self.org = ORGS[forum]
        registry = ctx.registry
        if self.org.kind is OrgKind.REGIONAL_FORUM:
            prefs = registry.prefectures_of_block(forum)
        else:
            prefs = registry.prefectures()
        self.prefectures: list[LocalGovernment] = prefs
        self.municipalities: list[LocalGovernment] = [
            m for p in prefs for m in registry.municipalities_of(p.pref_code)
        ]
        self.pitch_event: tuple[str, dt.date] | None = None
        self.pools = _pools()

    # events -----------------------------------------------------------------------------

    def _named_lgs(self, text: str) -> list[str]:
        """Codes of the block's prefectures and municipalities that a title or description names."""
        found: list[str] = []
        for lg in (*self.prefectures, *self.municipalities):
            if len(lg.name) >= 2 and lg.name in text and lg.lg_code not in found:
                found.append(lg.lg_code)
        return found

    def _lg_codes(self, entry: PlanEntry) -> list[str]:
        named = self._named_lgs(entry.title + " " + entry.description)
        wanted = self.rng.randint(1, 4)
        codes = [c for c in named if c[2:5] != "000"][:wanted] or named[:1]
        pool = self.municipalities
        # A title naming a prefecture (自治体訪問活動（福島県内）) draws from that prefecture.
        pref_codes = [c[:2] for c in named if c[2:5] == "000"]
        if pref_codes:
            pool = [m for m in self.municipalities if m.pref_code in pref_codes] or pool
        wanted = min(wanted, len(codes) + len(pool))
        while len(codes) < wanted:
            code = self.rng.choice(pool).lg_code
            if code not in codes:
                codes.append(code)
        return codes

    def _held_span(self, planned: PlannedDate, event_type: str) -> tuple[dt.date, dt.date]:
        assert planned.start is not None and planned.end is not None
        start, end = planned.start, planned.end
        if planned.precision == "day":
            return start, end
        span = (end - start).days
        if span > 45 and event_type in ("meeting", "other", "municipality_visit", "mayors_council_meeting"):
            # Work that runs through the period (通年、4月～3月).
            held_from = start + dt.timedelta(days=self.rng.randint(0, 14))
            held_to = end - dt.timedelta(days=self.rng.randint(0, 14))
            return held_from, max(held_from, held_to)
        held_from = _random_day(self.rng, start, end)
        if event_type in ("forum", "exhibition") and held_from < end and self.rng.random() < 0.3:
            return held_from, held_from + dt.timedelta(days=1)
        return held_from, held_from

    def _event(
        self,
        entry: PlanEntry,
        fy: int,
        *,
        fate: str,
        title: str | None = None,
        planned_text: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """One event; ``fate`` is held, cancelled, postponed, planned or confirmed."""
        title = title or entry.title
        event_type = entry.event_type or infer_event_type(title)
        planned = parse_planned(planned_text or entry.planned, fy)
        data: dict[str, Any] = {
            "title": title,
            "event_type": event_type,
            "planned": planned.to_dict(),
            "status": fate,
            "description": entry.description or None,
            "series_no": series_no(title),
            "lg_codes": [],
            "counts_as_forum": kpi.counts_as_forum_default(event_type),
        }
        if fate == "held":
            held_from, held_to = self._held_span(planned, event_type)
            codes = self._lg_codes(entry)
            lg = self.ctx.registry.get(codes[0])
            data.update(
                held_from=held_from.isoformat(),
                held_to=held_to.isoformat(),
                lg_codes=codes,
                participants=self.rng.randint(12, 180),
                venue=f"{lg.full_name} {self.rng.choice(self.pools.venues)}" if lg else None,
            )
        return self.batch.add("events", self.forum, data), data

    def events(self, entries: Sequence[PlanEntry]) -> None:
        """The plan's events of FY2024 and of the current year; its field trials as trials."""
        first = len(self.batch.items)
        self._plan_events(entries)
        for item in self.batch.items[first:]:
            if item.entity == "events" and reads_as_trial(item.data["title"]):
                self._as_trial(item)

    def _trial_lg_code(self, data: Mapping[str, Any]) -> str:
        """The local government a plan's trial took place in: the one its title names (else its
        description), a municipality before a prefecture. A trial needs one; where the plan names
        none (「第17回実証試験」), the city where the forum's regional bureau sits is taken, for every
        such trial of the forum (広島市 for 中国), so the choice is the same at every load."""
        for text in (data["title"], data.get("description") or ""):
            named = self._named_lgs(text)
            if named:
                return next((c for c in named if c[2:5] != "000"), named[0])
        seat = _FORUM_SEATS.get(self.forum)
        found = next((m for m in self.municipalities if m.full_name == seat), None)
        return (found or self.municipalities[0]).lg_code

    def _as_trial(self, item: _Item) -> None:
        """Store a plan row drawn as an event (same draws, so the rest of the demo is unchanged)
        as the trial it is: its plan, status and dates, its local government, its 内容 as 結果."""
        event = {k: v for k, v in item.data.items() if k not in ("venue", "participants")}
        item.entity = "trials"
        item.data = trial_from_event(event, self._trial_lg_code(event))

    def _plan_events(self, entries: Sequence[PlanEntry]) -> None:
        rng, today = self.rng, self.today
        pitch_index = next((i for i, e in enumerate(entries) if infer_event_type(e.title) == "pitch_event"), None)
        # FY2024 (令和6年度): the plan as it turned out.
        for index, entry in enumerate(entries):
            planned = parse_planned(entry.planned, PLAN_FISCAL_YEAR)
            roll = rng.random()
            if index == pitch_index:
                fate = "held"
            elif planned.precision == "undecided":
                fate = "held" if roll < 0.5 else ("postponed" if roll < 0.8 else "cancelled")
            else:
                fate = "cancelled" if roll < 0.06 else ("postponed" if roll < 0.12 else "held")
            if fate == "held" and planned.start is not None and planned.start > today:
                fate = "planned"
            event_id, data = self._event(entry, PLAN_FISCAL_YEAR, fate=fate)
            if fate == "held" and data["held_to"] > today.isoformat():
                data.update(status="planned", held_from=None, held_to=None, lg_codes=[], participants=None, venue=None)
            if index == pitch_index and data["status"] == "held":
                self.pitch_event = (event_id, dt.date.fromisoformat(data["held_from"]))
        if self.pitch_event is None:
            entry = PlanEntry(self.forum, f"{self.org.short_name}ピッチイベント（令和6年度）", "第3四半期",
                              "自治体ニーズに対応したシーズ技術のプレゼンテーション", "pitch_event")
            event_id, data = self._event(entry, PLAN_FISCAL_YEAR, fate="held")
            if data["held_to"] <= today.isoformat():
                self.pitch_event = (event_id, dt.date.fromisoformat(data["held_from"]))
            else:
                data.update(status="planned", held_from=None, held_to=None, lg_codes=[], participants=None, venue=None)
        if self.current_fy == PLAN_FISCAL_YEAR:
            return
        # The current fiscal year: the same plan, re-planned.
        upcoming = overdue = False
        horizon = today + dt.timedelta(days=60)
        passed_seen = 0
        for entry in entries:
            text = shift_years(entry.planned, self.current_fy)
            planned = parse_planned(text, self.current_fy)
            roll = rng.random()
            if planned.precision == "day" or (planned.precision in ("dekad", "month") and roll < 0.3):
                fate = "confirmed"
            else:
                fate = "planned"
            passed = planned.end is not None and planned.end < today
            if passed:
                passed_seen += 1
                # Partly held; the rest stay unmarked (overdue), at least one where two have passed.
                if rng.random() < 0.6 and not (passed_seen >= 2 and not overdue):
                    fate = "held"
            # Title and description both move to this year (「EE東北'26」 is not 「EE東北'24にて…」).
            replanned = dataclasses.replace(entry, title=shift_years(entry.title, self.current_fy),
                                            description=shift_years(entry.description, self.current_fy))
            _, data = self._event(replanned, self.current_fy, fate=fate, planned_text=text)
            if fate == "held" and data["held_to"] > today.isoformat():
                data.update(status="planned", held_from=None, held_to=None, lg_codes=[], participants=None, venue=None)
            if data["status"] in ("planned", "confirmed"):
                if passed:
                    overdue = True
                elif planned.start is not None and planned.start <= horizon:
                    upcoming = True
        if not upcoming:
            # The dashboard's 「今後60日の予定」 should never be empty in the demo.
            day = today + dt.timedelta(days=rng.randint(10, 50))
            entry = PlanEntry(self.forum, f"{self.org.name} 運営会議", f"{day.month}月{day.day}日",
                              "年度後半の活動計画と実施状況の確認", "meeting")
            self._event(entry, fiscal_year_of(day), fate="confirmed")

    # needs, seeds, matchings, trials -------------------------------------------------------

    def _contact(self, domain: str | None = None) -> dict[str, Any]:
        """A contact that is plainly invented (personal data must not look real in a demo or a
        screenshot): the name marked （架空）, an address under example.jp (reserved for
        examples), a number starting 000 (never a real one)."""
        rng, pools = self.rng, self.pools
        surname = rng.choice(pools.surnames)
        romaji = f"user{rng.randint(100, 999)}"
        name = f"{surname} {rng.choice(pools.given_names)}{FICTITIOUS_MARK}"
        department = rng.choice(pools.municipal_departments if domain is None else pools.company_departments)
        rng.randint(10, 99)  # was the area code: drawn still, so that the rest of the demo stays the same
        return {
            "name": name,
            "department": department,
            "email": f"{romaji}@{_example_domain(domain)}",
            "phone": f"000-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        }

    def _matching_plans(self) -> list[list[tuple[str, dt.date, str | None]]]:
        """Ten stage histories at various points of the pipeline (before cutting at today)."""
        rng = self.rng

        def d(y: int, m: int) -> dt.date:
            return _month_day(rng, y, m)

        cur_start, _ = fiscal_year_bounds(self.current_fy)
        latest = max(cur_start, dt.date(2025, 12, 31)) + dt.timedelta(days=rng.randint(20, 150))
        return [
            [("considered", d(2024, 5), None), ("established", d(2024, 8), None),
             ("implemented", d(2025, 2), rng.choice(self.pools.implement_notes))],
            [("considered", d(2024, 6), None), ("established", d(2024, 10), None)],
            [("considered", d(2024, 6), None), ("dropped", d(2024, 10), rng.choice(self.pools.drop_notes)),
             ("considered", d(2025, 5), "予算の確保にともない再検討")],
            [("considered", d(2024, 7), None), ("dropped", d(2024, 12), rng.choice(self.pools.drop_notes))],
            [("considered", d(2024, 9), None)],
            [("considered", d(2024, 12), None), ("established", d(2025, 3), None),
             ("implemented", d(2025, 10), rng.choice(self.pools.implement_notes))],
            [("considered", dt.date(2025, 3, 31), "年度末の意見交換会で検討開始"),
             ("established", dt.date(2025, 4, 1), "新年度予算で試行を決定")],
            [("considered", d(2025, 6), None), ("established", d(2025, 9), None)],
            [("considered", d(2025, 12), None)],
            [("considered", latest, None)],
        ]

    def small_set(self) -> None:
        rng, today, forum = self.rng, self.today, self.forum
        pools = self.pools
        need_templates = rng.sample(pools.needs, 12)
        pair = pools.company_pairs[rng.randrange(len(pools.company_pairs))]
        others = [i for i in range(len(pools.seeds)) if i not in pair]
        seed_indexes = [*pair, *rng.sample(others, 8)]
        rng.shuffle(seed_indexes)
        seed_templates = [pools.seeds[i] for i in seed_indexes]

        # Pair needs with seeds of the same facility types where possible.
        plans = self._matching_plans()
        matched_need = [0, 1, 2, 3, 1, 4, 5, 6, 7, 8]  # the 5th reuses the 2nd's need with another seed
        seed_uses = [0] * len(seed_templates)
        pairs: list[tuple[int, int]] = []
        for n in matched_need:
            types = set(need_templates[n].facility_types)
            taken = {s for nn, s in pairs if nn == n}
            candidates = [s for s in range(len(seed_templates)) if s not in taken]
            fitting = [s for s in candidates if types & set(seed_templates[s].facility_types)] or candidates
            best = min(seed_uses[s] for s in fitting)
            s = rng.choice([s for s in fitting if seed_uses[s] == best])
            seed_uses[s] += 1
            pairs.append((n, s))

        # Cut every history at today; a pairing not yet begun is left out.
        histories = [[st for st in plan if st[1] <= today] for plan in plans]
        first_on: dict[int, dt.date] = {}
        seed_first: dict[int, dt.date] = {}
        for (n, s), history in zip(pairs, histories, strict=True):
            if history:
                first_on[n] = min(first_on.get(n, history[0][1]), history[0][1])
                seed_first[s] = min(seed_first.get(s, history[0][1]), history[0][1])

        # Needs.
        fy24_start = fiscal_year_bounds(PLAN_FISCAL_YEAR)[0]
        need_ids: list[str | None] = []
        need_lgs: list[str] = []
        data: dict[str, Any]
        for n, need_t in enumerate(need_templates):
            if n in first_on:
                received = max(fy24_start, first_on[n] - dt.timedelta(days=rng.randint(10, 60)))
                received = min(received, first_on[n])
            else:
                lo = dt.date(2025, 10, 1) if n % 2 else fiscal_year_bounds(self.current_fy)[0]
                received = _random_day(rng, min(lo, today), today)
            lg = rng.choice(self.municipalities)
            need_lgs.append(lg.lg_code)
            if received > today or received < fy24_start and n not in first_on:
                need_ids.append(None)
                continue
            stages_of_need = [h for (nn, _), h in zip(pairs, histories, strict=True) if nn == n and h]
            last = [h[-1][0] for h in stages_of_need]
            if "implemented" in last:
                status = "resolved"
            elif any(code in ("considered", "established") for code in last):
                status = "matching"
            elif last:
                status = "withdrawn"
            else:
                status = "open"
            fy = fiscal_year_of(received)
            survey = f"第{6 + fy - PLAN_FISCAL_YEAR}回ニーズ調査" if rng.random() < 0.5 else None
            data = {
                "lg_code": lg.lg_code,
                "title": need_t.title,
                "facility_types": list(need_t.facility_types),
                "requirements": need_t.requirements,
                "received_on": received.isoformat(),
                "survey": survey,
                "status": status,
                "contact": self._contact() if rng.random() < 0.5 else None,
            }
            need_ids.append(self.batch.add("needs", forum, data))

        # Seeds.
        seed_ids: list[str] = []
        for s, seed_t in enumerate(seed_templates):
            if s in seed_first:
                registered = seed_first[s] - dt.timedelta(days=rng.randint(20, 150))
            else:
                registered = _random_day(rng, fy24_start, today)
            data = {
                "company": seed_t.company,
                "tech_name": seed_t.tech_name,
                "summary": seed_t.summary,
                "facility_types": list(seed_t.facility_types),
                "netis_no": seed_t.netis_no,
                "registered_on": registered.isoformat(),
                "contact": self._contact(seed_t.domain) if rng.random() < 0.4 else None,
            }
            seed_ids.append(self.batch.add("seeds", forum, data))

        # The pitch event's presentations: seeds of pairings that began after it.
        pitch_of_matching: dict[int, str] = {}
        if self.pitch_event is not None:
            pitch_id, pitch_on = self.pitch_event
            after = sorted(
                (m for m, h in enumerate(histories) if h and h[0][1] > pitch_on and need_ids[pairs[m][0]]),
                key=lambda m: histories[m][0][1],
            )
            presented: list[tuple[int, int | None]] = []
            for m in after:
                if len(presented) == 3:
                    break
                if all(pairs[m][1] != s for s, _ in presented):
                    presented.append((pairs[m][1], pairs[m][0]))
                    pitch_of_matching[m] = pitch_id
            spare = [s for s in range(len(seed_ids)) if all(s != p for p, _ in presented)]
            while len(presented) < 3 and spare:
                presented.append((spare.pop(rng.randrange(len(spare))), None))
            for order, (p_seed, p_need) in enumerate(presented, start=1):
                need_id = need_ids[p_need] if p_need is not None else None
                self.batch.add("pitch_presentations", forum, {
                    "event_id": pitch_id,
                    "seed_id": seed_ids[p_seed],
                    "need_id": need_id,
                    "order": order,
                    "note": "質疑で適用条件と費用について自治体から質問あり" if need_id else None,
                })

        # Matchings.
        matching_ids: list[str | None] = []
        for m, ((n, s), history) in enumerate(zip(pairs, histories, strict=True)):
            need_id = need_ids[n]
            if not history or need_id is None:
                matching_ids.append(None)
                continue
            stages = [{"stage": code, "on": on.isoformat(), **({"note": note} if note else {})} for code, on, note in history]
            matching_ids.append(self.batch.add("matchings", forum, {
                "need_id": need_id,
                "seed_id": seed_ids[s],
                "pitch_event_id": pitch_of_matching.get(m),
                "stages": stages,
            }))

        # Trials of established pairings: the earlier ones held, the last one planned.
        established = [
            m for m, h in enumerate(histories)
            if matching_ids[m] and any(code == "established" for code, _, _ in h)
        ]
        for position, m in enumerate(established[:5]):
            n, s = pairs[m]
            est_on = next(on for code, on, _ in histories[m] if code == "established")
            day = est_on + dt.timedelta(days=rng.randint(30, 100))
            is_last = position == min(len(established), 5) - 1
            if is_last or day > today:
                day = today + dt.timedelta(days=rng.randint(20, 90))
            fy = fiscal_year_of(day)
            text = f"未定 ({day.month}月)" if rng.random() < 0.4 else f"{day.month}月頃"
            planned = parse_planned(text, fy)
            trial_lg = self.ctx.registry.get(need_lgs[n])
            place = trial_lg.name if trial_lg else self.org.short_name
            data = {
                "title": f"{seed_templates[s].tech_name}の現場試行（{place}）",
                "lg_code": need_lgs[n],
                "matching_id": matching_ids[m],
                "need_id": need_ids[n],
                "seed_id": seed_ids[s],
                "pitch_event_id": pitch_of_matching.get(m),
                "planned": planned.to_dict(),
                "status": "planned",
            }
            if day <= today:
                assert planned.end is not None
                held_to = min(day + dt.timedelta(days=rng.randint(0, 2)), planned.end, today)
                data.update(
                    status="held", held_from=day.isoformat(), held_to=held_to.isoformat(),
                    result=rng.choice(pools.trial_results),
                )
            self.batch.add("trials", forum, data)

        # Support activities.
        spans = [
            (dt.date(2024, 4, 15), dt.date(2024, 9, 30)),
            (dt.date(2024, 7, 1), dt.date(2024, 12, 20)),
            (dt.date(2024, 10, 1), dt.date(2025, 3, 15)),
            (dt.date(2025, 4, 10), dt.date(2025, 9, 30)),
            (dt.date(2025, 10, 1), dt.date(2026, 3, 15)),
            (fiscal_year_bounds(self.current_fy)[0] + dt.timedelta(days=10), today),
        ]
        for index, (kind, (lo, hi)) in enumerate(zip(_SUPPORT_KIND_CYCLE, spans, strict=False)):
            hi = min(hi, today)
            if lo > hi:
                continue
            on = _random_day(rng, lo, hi)
            data = {"kind": kind, "on": on.isoformat(), "lg_code": None, "country": None, "note": None}
            if forum == "overseas":
                country, note = pools.overseas_activities[index % len(pools.overseas_activities)]
                data.update(country=country, note=note)
            else:
                data.update(lg_code=rng.choice(self.municipalities).lg_code, note=rng.choice(pools.support_notes[kind]))
            self.batch.add("support_activities", forum, data)


# -- the secretariat's master data ------------------------------------------------------------


def _secretariat_master(ctx: AppContext, batch: _Batch, today: dt.date) -> None:
    """行政会員・市区町村長会議 status of every municipality (as of 2024-03-18) and the targets."""
    rng = random.Random(SECRETARIAT)
    codes = [m.lg_code for m in ctx.registry.municipalities()]
    shuffled = codes[:]
    rng.shuffle(shuffled)
    admin = set(shuffled[:ADMIN_MEMBERS])
    # Participation in the mayors' council mostly overlaps with membership.
    members, others = shuffled[:ADMIN_MEMBERS], shuffled[ADMIN_MEMBERS:]
    from_others = min(len(others), MAYORS_COUNCIL_MEMBERS // 12)
    mayors = set(rng.sample(members, MAYORS_COUNCIL_MEMBERS - from_others)) | set(rng.sample(others, from_others))
    as_of = STATUS_AS_OF.isoformat()
    for code in codes:
        batch.add("municipality_status", SECRETARIAT, {
            "lg_code": code, "admin_member": code in admin, "mayors_council": code in mayors, "as_of": as_of,
        })
    for fy in sorted({PLAN_FISCAL_YEAR, fiscal_year_of(today)}):
        for code, target in kpi.FY2024_TARGETS.items():
            value: float | int = int(target) if code not in ("mayors_council_rate", "admin_member_rate") else float(target)
            batch.add("kpi_targets", SECRETARIAT, {"fiscal_year": fy, "kpi": code, "target": value})
    # FY2023 (令和5年度) as the FY2024 business plan reports it: 目標150に対して184 (98 + 50 + 31 + 5).
    batch.add("kpi_targets", SECRETARIAT, {"fiscal_year": 2023, "kpi": "matching_total", "target": 150})
    batch.add("closed_tallies", SECRETARIAT, {
        "fiscal_year": 2023, "closed_at": "2024-04-01T09:00:00+09:00", "closed_by": "事務局", "source": "published",
        "kpis": {"supported_municipalities": {"total": 252}, "forums_held": {"total": 33},
                 "matching_total": {"total": 184}},
        "note": "令和6年度事業計画に記載の令和5年度実績",
    })


# -- writing ----------------------------------------------------------------------------------


def _resolve(data: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    out = dict(data)
    for key in _REFERENCE_FIELDS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = ids.get(value, value)
    return out


def _installation_of(owner: str) -> str:
    """The UUID of the simulated installation that 'wrote' another organisation's records."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"jcim-demo:{owner}"))


def _write(ctx: AppContext, batch: _Batch) -> None:
    """Check everything, then write: own records through the services, others' as envelopes."""
    # Validate all first, so that bad demo data writes nothing.
    cleaned = {id(item): records.clean(ctx, item.entity, item.data) for item in batch.items}
    ids: dict[str, str] = {}
    millis = time.time_ns() // 1_000_000
    for entity in _ENTITY_ORDER:
        groups: dict[str, list[_Item]] = {}
        for item in batch.items:
            if item.entity == entity:
                groups.setdefault(item.owner, []).append(item)
        foreign: list[dict[str, Any]] = []
        for owner, items in groups.items():
            if ctx.can_write(owner):
                created = records.create_many(ctx, entity, [_resolve(i.data, ids) for i in items], owner=owner)
                ids.update({i.id: r.id for i, r in zip(items, created, strict=True)})
                continue
            installation = _installation_of(owner)
            for item in items:
                envelope = {
                    "id": item.id,
                    "owner": owner,
                    "hlc": f"{millis:013d}-00000-{installation}",
                    "vv": {installation: 1},
                    "deleted": False,
                    "data": _resolve(cleaned[id(item)], ids),
                }
                foreign.append(envelope_row(entity, envelope))
        if foreign:
            with ctx.db.engine.begin() as conn:
                upsert_rows(conn, entity, foreign)


def is_loaded(ctx: AppContext) -> bool:
    """Whether any event exists (demo data, or real data, is already there)."""
    with ctx.reading() as session:
        return session.execute(select(Event.id).limit(1)).first() is not None


def _has_master(ctx: AppContext) -> bool:
    with ctx.reading() as session:
        return session.execute(select(MunicipalityStatus.id).limit(1)).first() is not None


def demo_forums(org: str) -> list[str]:
    """The forums whose demo records an installation of ``org`` loads."""
    kind = ORGS[org].kind
    if kind is OrgKind.SECRETARIAT:
        return [*REGIONAL_FORUMS, *NATIONAL_FORUMS]
    if kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM):
        return [org]
    return []


def load_demo(ctx: AppContext, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with demo data; returns 〈Japanese label → records loaded〉.

    Raises ``UserError`` (and writes nothing) if events exist already.
    """
    today = today or dt.date.today()
    forums = demo_forums(ctx.org)
    if is_loaded(ctx) or (not forums and _has_master(ctx)):
        raise UserError(ALREADY_LOADED)
    entries = plan_entries()
    national_entries = {
        org: [PlanEntry(org, title, planned, description) for title, planned, description in items]
        for org, items in _pools().national_events.items()
    }
    batch = _Batch()
    for forum in forums:
        builder = _ForumBuilder(ctx, batch, forum, today)
        own = [e for e in entries if e.org == forum] or national_entries.get(forum, [])
        builder.events(own)
        builder.small_set()
    _secretariat_master(ctx, batch, today)
    _write(ctx, batch)
    summary: dict[str, int] = {}
    for entity in _ENTITY_ORDER:
        summary[ENTITY_LABELS[entity]] = sum(1 for item in batch.items if item.entity == entity)
    return summary
