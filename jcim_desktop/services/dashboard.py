"""The dashboard (ダッシュボード): a fiscal year's KPIs, matching funnel, due events and maps, in one read.

Everything here is a typed value (counts, rates as fractions, codes, dates); the window turns
them into words and numbers in its language (``ui.labels``, ``ui.fmt``).

The read does not grow with what it does not show: the cards come from the tally's facts, the
event lists are counted in SQL and only their first few events are read (``EVENTS_SHOWN``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.domain.matching import PIPELINE
from jcim_desktop.services import closing, master
from jcim_desktop.services import tally as tally_service
from jcim_desktop.services.closing import Closure
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries

UPCOMING_DAYS = 60
EVENTS_SHOWN = 8
"""How many events each list (upcoming, overdue) shows; the rest are counted, not read."""

FORUM_CARD_KPIS: tuple[str, ...] = (
    "supported_municipalities",
    "forums_held",
    "matching_total",
    "workshops",
    "mayors_council_activities",
)
"""The count KPIs a forum's own work adds to (the national targets are context only)."""

NATIONAL_CARD_KPIS: tuple[str, ...] = (*FORUM_CARD_KPIS, "mayors_council_rate", "admin_member_rate")

RATE_CLASS_BOUNDS: tuple[float, ...] = (0.1, 0.3, 0.5, 0.7, 1.0)
"""The classes of the participation maps (市区町村長会議 参画率, 行政会員 加入率): class 0 is under
10%, class ``i`` at least ``RATE_CLASS_BOUNDS[i - 1]`` (10%, 30%, 50%, 70%), the last one 100%."""
RATE_CLASS_COUNT = len(RATE_CLASS_BOUNDS) + 1

SUPPORT_CLASS_LIMITS: tuple[int, ...] = (0, 2, 5, 9)
"""The classes of the supported-municipality map by their largest count: none, 1–2, 3–5, 6–9,
and 10 or more (the last class)."""
SUPPORT_CLASS_COUNT = len(SUPPORT_CLASS_LIMITS) + 1


def rate_class(rate: float) -> int:
    """The map class (0 = under 10% … 5 = 100%) of a participation rate given as a fraction."""
    # Rates arrive rounded to 4 places; compare in whole basis points so 0.7 is 70% or more.
    points = round(rate * 10000)
    return sum(1 for bound in RATE_CLASS_BOUNDS if points >= round(bound * 10000))


def support_class(count: float) -> int:
    """The map class (0 = none … 4 = 10 or more) of a number of supported local governments."""
    return next((i for i, limit in enumerate(SUPPORT_CLASS_LIMITS) if count <= limit), len(SUPPORT_CLASS_LIMITS))


@dataclass(frozen=True)
class KpiCard:
    """One KPI card.

    For the secretariat ``value`` is the national total and ``achievement`` its 達成率 against
    ``target``. For a forum ``value`` is the forum's own figure; ``target`` is the national
    target, shown as context with ``national_value`` and ``national_achievement`` and never as
    the forum's achievement (``achievement`` is None). Rates are fractions (0.62).
    """

    code: str
    value: float
    target: float | None
    achievement: float | None
    is_rate: bool = False
    national_value: float | None = None
    national_achievement: float | None = None
    distinct: int | None = None
    """Secretariat, 支援自治体数: the distinct local governments (``value`` counts each org's, 延べ)."""
    numerator: int | None = None
    """Secretariat, a rate: the local governments taking part …"""
    denominator: int | None = None
    """… of all local governments."""
    live_value: float | None = None
    """A closed year: the live figure, where it differs from the official ``value`` (None: same)."""


@dataclass(frozen=True)
class FunnelStep:
    code: str
    """A step of ``domain.matching.PIPELINE`` (considered, established, trial, implemented)."""
    count: int
    conversion: float | None
    """This step's count ÷ the previous step's (None for the first step or an empty previous)."""


@dataclass(frozen=True)
class Funnel:
    """The matching pipeline of a year: 検討 → 成立 → 現場試行 → 社会実装, and 不成立 beside it.

    Counts are of the year (a pairing established this year may have been considered last
    year), so a conversion can exceed 100%. ``stall`` is the step whose pairings most often go
    no further: the largest drop to the next step (ties: the lower conversion).
    """

    steps: tuple[FunnelStep, ...]
    dropped: int
    stall: str | None
    stall_lost: int = 0

    def count(self, code: str) -> int:
        if code == "dropped":
            return self.dropped
        return next(s.count for s in self.steps if s.code == code)

    @property
    def stall_next(self) -> str | None:
        """The step that pairings at ``stall`` most often fail to reach."""
        if not self.stall:
            return None
        codes = [s.code for s in self.steps]
        return codes[codes.index(self.stall) + 1]


@dataclass(frozen=True)
class DueEvent:
    """A planned event for the upcoming and overdue lists; ``date_text`` is the plan as a person
    wrote it (record data, e.g. 9月下旬), ``start``/``end`` the days it stands for."""

    id: str
    title: str
    date_text: str
    start: dt.date | None
    end: dt.date | None
    event_type: str
    owner: str
    days: int
    """Days until the start (upcoming, 0 if under way) or since the planned end (overdue)."""
    precision: str = ""
    """The plan's precision (day, dekad, month, quarter, year, undecided)."""
    tentative: bool = False

    @property
    def undecided(self) -> bool:
        return self.precision == "undecided"

    def under_way(self, today: dt.date) -> bool:
        """The planned period has begun (a year-round or broad plan), as opposed to starting later."""
        return self.start is not None and self.start <= today


@dataclass(frozen=True)
class BlockCount:
    block: str
    """The forum (org code) whose block (地方ブロック) this is."""
    count: int


@dataclass
class Dashboard:
    fiscal_year: int
    today: dt.date
    org: str
    is_secretariat: bool
    cards: list[KpiCard]
    funnel: Funnel
    upcoming: list[DueEvent]
    """The first upcoming events (at most ``EVENTS_SHOWN``), soonest first."""
    overdue: list[DueEvent]
    """The first overdue events (at most ``EVENTS_SHOWN``), the longest overdue first."""
    map_prefectures: list[str]
    """The prefectures the supported-municipality map shows: the forum's block, or all."""
    supported_by_prefecture: dict[str, int]
    """pref_code → distinct supported local governments in that prefecture (this org; all orgs at the secretariat)."""
    mayors_rate_by_prefecture: dict[str, float] = field(default_factory=dict)
    admin_rate_by_prefecture: dict[str, float] = field(default_factory=dict)
    supported_by_block: list[BlockCount] = field(default_factory=list)
    """Secretariat only: distinct supported local governments per forum block."""
    block: str | None = None
    """The forum (org code) whose block (地方ブロック) the map shows; None when it shows all Japan."""
    closed: Closure | None = None
    """The year is closed (年度確定): the cards show its official figures (the maps, the funnel and
    the event lists stay on the records)."""
    upcoming_total: int = 0
    """How many events are upcoming (``upcoming`` holds the first of them)."""
    overdue_total: int = 0
    """How many events are overdue (``overdue`` holds the first of them)."""

    def card(self, code: str) -> KpiCard:
        return next(c for c in self.cards if c.code == code)


def _number(entry: Mapping[str, Any], key: str) -> float:
    value = entry.get(key)
    return float(value) if isinstance(value, (int, float)) else 0.0


def _count(entry: Mapping[str, Any], key: str) -> int | None:
    value = entry.get(key)
    return int(value) if isinstance(value, (int, float)) else None


def _differing(value: float, live: float) -> float | None:
    return None if abs(value - live) < 1e-9 else live


def _own(entry: Mapping[str, Any], org: str, fallback: Mapping[str, Any]) -> float:
    """An org's figure (a published year's total has no breakdown: then the live one)."""
    by_org = entry.get("by_org") if "by_org" in entry else fallback.get("by_org")
    return float((by_org or {}).get(org, 0))


def _cards(
    ctx: AppContext, kpis: Mapping[str, Mapping[str, Any]], live: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[KpiCard]:
    """The cards of ``kpis`` (a closed year's official figures, or the live ones); ``live`` the
    live figures of a closed year, to say where they differ."""
    live = live or kpis
    cards: list[KpiCard] = []
    if ctx.is_secretariat:
        for code in NATIONAL_CARD_KPIS:
            entry = kpis[code]
            definition = kpi_rules.KPI_BY_CODE[code]
            target = entry.get("target")
            value = _number(entry, "total")
            achievement = kpi_rules.achievement(value, target)
            distinct = _count(entry, "distinct_total") if code == "supported_municipalities" else None
            cards.append(KpiCard(
                code, value, target, achievement, definition.is_rate,
                national_value=value, national_achievement=achievement,
                distinct=distinct,
                numerator=_count(entry, "numerator") if definition.is_rate else None,
                denominator=_count(entry, "denominator") if definition.is_rate else None,
                live_value=_differing(value, _number(live[code], "total")),
            ))
        return cards
    for code in FORUM_CARD_KPIS:
        entry = kpis[code]
        target = entry.get("target")
        national = _number(entry, "total")
        own = _own(entry, ctx.org, live[code])
        cards.append(KpiCard(
            code, own, target, None, False,
            national_value=national, national_achievement=kpi_rules.achievement(national, target),
            live_value=_differing(own, _own(live[code], ctx.org, live[code])),
        ))
    return cards


def _funnel(counts: Mapping[str, int]) -> Funnel:
    steps: list[FunnelStep] = []
    previous: int | None = None
    for code in PIPELINE:
        n = int(counts.get(code, 0))
        conversion = None if not previous else n / previous
        steps.append(FunnelStep(code, n, conversion))
        previous = n
    stall: str | None = None
    best: tuple[int, float] = (0, 0.0)
    for prev, step in itertools.pairwise(steps):
        lost = prev.count - step.count
        if lost <= 0:
            continue
        # Bigger loss first; on a tie, the lower conversion (larger share lost).
        key = (lost, 1.0 - (step.conversion or 0.0))
        if key > best:
            best, stall = key, prev.code
    return Funnel(tuple(steps), int(counts.get("dropped", 0)), stall, best[0])


def _due(row: queries.DueEventRow, today: dt.date, overdue: bool) -> DueEvent:
    start, end = row.planned_start, row.planned_end
    if overdue:
        days = (today - end).days if end else 0
    else:
        days = max((start - today).days, 0) if start else 0
    return DueEvent(
        row.record_id, row.title, row.planned_text, start, end, row.event_type, row.owner, days,
        row.planned_precision, row.planned_tentative,
    )


def _by_prefecture(codes: set[str], prefectures: list[str]) -> dict[str, int]:
    counted = Counter(code[:2] for code in codes)
    return {pref: counted.get(pref, 0) for pref in prefectures}


def dashboard(ctx: AppContext, fiscal_year: int, today: dt.date, *, events_shown: int = EVENTS_SHOWN) -> Dashboard:
    """Everything the dashboard shows for ``fiscal_year``; the event lists are relative to ``today``.

    A forum sees its own figures, pipeline, events and its block's map; the secretariat the
    national totals against targets, every org's pipeline, the events it is responsible for
    (upcoming: everyone's, overdue: those it may mark held) and the participation maps.

    Upcoming: planned or confirmed events whose planned period reaches into the next
    ``UPCOMING_DAYS``; overdue: those whose planned period ended unmarked since the start of the
    previous fiscal year (older plans are history). Each list holds its first ``events_shown``
    events and the number of all of them.
    """
    own_owners: list[str] | None = None if ctx.is_secretariat else [ctx.org]
    overdue_owners = sorted(ctx.writable_owners()) if ctx.is_secretariat else own_owners
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    since = fiscal_year_bounds(fiscal_year_of(today) - 1)[0]
    with ctx.db.engine.connect() as conn:
        facts = queries.collect_tally_facts(conn, fiscal_year)
        targets = queries.targets_for_year(conn, fiscal_year)
        closed_row = queries.closed_tallies(conn, fiscal_year).get(fiscal_year)
        upcoming = queries.upcoming_events(conn, today, horizon, own_owners, events_shown)
        overdue = queries.overdue_events(conn, today, since, overdue_owners, events_shown)
    tally = kpi_rules.assemble_tally(facts, targets)
    live_kpis = cast(dict[str, dict[str, Any]], tally["kpis"])
    # A closed year's cards show its official figures (年度確定, SYNC_FORMAT §5).
    official = tally_service.with_closed(tally, closed_row, targets)
    kpis = cast(dict[str, dict[str, Any]], official["kpis"])

    registry = ctx.registry
    all_prefs = [p.pref_code for p in registry.prefectures()]

    # The funnel from the tally's own scan of the year's pairings and trials (reading them again
    # cost a fifth of the dashboard at 1,000,000 records): matchings.pipeline_counts, for these orgs.
    funnel = _funnel(facts.pipeline_of(own_owners))

    block_prefs = [p.pref_code for p in registry.prefectures_of_block(ctx.org)]
    map_prefs = block_prefs or all_prefs

    if ctx.is_secretariat:
        supported: set[str] = set().union(*facts.lg_codes.values()) if facts.lg_codes else set()
    else:
        supported = set(facts.lg_codes.get(ctx.org, set()))

    board = Dashboard(
        fiscal_year=fiscal_year,
        today=today,
        org=ctx.org,
        is_secretariat=ctx.is_secretariat,
        cards=_cards(ctx, kpis, live_kpis),
        funnel=funnel,
        upcoming=[_due(row, today, False) for row in upcoming.first],
        overdue=[_due(row, today, True) for row in overdue.first],
        map_prefectures=map_prefs,
        supported_by_prefecture=_by_prefecture(supported, map_prefs),
        block=ctx.org if block_prefs else None,
        closed=closing.closure(official),
        upcoming_total=upcoming.total,
        overdue_total=overdue.total,
    )
    if ctx.is_secretariat:
        rates = master.rates_by_prefecture(ctx, fiscal_year)  # the status on the year's last day
        board.mayors_rate_by_prefecture = {p: r.mayors_rate for p, r in rates.items()}
        board.admin_rate_by_prefecture = {p: r.admin_rate for p, r in rates.items()}
        known = set(all_prefs)
        per_block = Counter(registry.block_of_prefecture(code[:2]) for code in supported if code[:2] in known)
        board.supported_by_block = [BlockCount(block, per_block.get(block, 0)) for block in registry.blocks()]
    return board
