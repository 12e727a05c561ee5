"""The national KPIs (SYNC_FORMAT §5): definitions, what counts, subtotals and targets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jcim_desktop.domain.orgs import ORG_CODES, ORGS, OrgKind

MUNICIPALITY_COUNT = 1741
"""The denominator of the participation rates: all municipalities (市区町村), prefectures excluded."""

HELD_STATUS = "held"
WORKSHOP_EVENT_TYPES: frozenset[str] = frozenset({"outreach_class", "workshop"})
MAYORS_COUNCIL_EVENT_TYPES: frozenset[str] = frozenset({"mayors_council_meeting"})
FORUM_EVENT_TYPES: frozenset[str] = frozenset({"forum", "seminar", "workshop", "matching_event", "pitch_event"})
"""Event types that count in フォーラム実施数 unless a person says otherwise (the default of
``counts_as_forum`` wherever an event is entered: the dialog, Excel import, demo data)."""
KPI_ENTITIES: frozenset[str] = frozenset({
    "events", "needs", "matchings", "trials", "support_activities", "municipality_status", "kpi_targets",
    "closed_tallies",
})
"""Entities whose records can move a KPI figure, its rate or its target, or fix a year's official
figures (closed tallies); seeds and pitch presentations cannot."""


def counts_as_forum_default(event_type: str | None) -> bool:
    """Whether a new event of ``event_type`` counts in フォーラム実施数 by default."""
    return event_type in FORUM_EVENT_TYPES


@dataclass(frozen=True)
class KpiDef:
    code: str
    label: str
    description: str
    is_rate: bool = False

    @property
    def national_only(self) -> bool:
        return self.is_rate


KPIS: tuple[KpiDef, ...] = (
    KpiDef("supported_municipalities", "支援自治体数",
           "実施した活動・ニーズ受付・実証実験・自治体支援・マッチングで関わった自治体の数"),
    KpiDef("supported_countries", "支援国（地域）数", "支援活動を行った国・地域の数"),
    KpiDef("forums_held", "フォーラム実施数", "フォーラムとして数える活動・行事の実施数"),
    KpiDef("matching_considered", "マッチング検討数", "その年度にマッチングを検討した数"),
    KpiDef("matching_established", "マッチング成立数", "その年度にマッチングが成立した数"),
    KpiDef("field_trials", "現場試行数", "その年度に実施した実証実験・現場試行の数"),
    KpiDef("implemented", "社会実装数", "その年度に社会実装に至った数"),
    KpiDef("matching_total", "マッチング・現場試行・実装実施数", "検討・成立・現場試行・社会実装の合計"),
    KpiDef("workshops", "出前授業およびワークショップ開催数", "出前授業・ワークショップ・勉強会の開催数"),
    KpiDef("mayors_council_activities", "市区町村長会議における活動実施数", "市区町村長会議の会議等での活動数"),
    KpiDef("mayors_council_rate", "市区町村長会議への参画率", "市区町村長会議に参画する市区町村の割合", is_rate=True),
    KpiDef("admin_member_rate", "行政会員 加入率", "行政会員である市区町村の割合", is_rate=True),
)
KPI_BY_CODE: dict[str, KpiDef] = {k.code: k for k in KPIS}
KPI_CODES: tuple[str, ...] = tuple(k.code for k in KPIS)
COUNT_KPIS: tuple[str, ...] = tuple(k.code for k in KPIS if not k.is_rate)
MATCHING_PARTS: tuple[str, ...] = ("matching_considered", "matching_established", "field_trials", "implemented")
"""The four sub-rows of マッチング・現場試行・実装実施数."""

# Counts that are tallied directly per org (matching_total and the distinct sets are derived).
_DIRECT_COUNTS: tuple[str, ...] = (
    "forums_held", "matching_considered", "matching_established", "field_trials", "implemented",
    "workshops", "mayors_council_activities",
)


@dataclass
class TallyFacts:
    """What the store found for one fiscal year, before the rules of §5 add it up.

    ``counts[kpi][org]`` for the direct counts; ``lg_codes[org]`` and ``countries[org]`` the
    distinct local governments and countries each org supported; the two status numerators.
    """

    fiscal_year: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    lg_codes: dict[str, set[str]] = field(default_factory=dict)
    countries: dict[str, set[str]] = field(default_factory=dict)
    mayors_council_members: int = 0
    admin_members: int = 0
    pipeline: dict[str, dict[str, int]] = field(default_factory=dict)
    """``pipeline[org][step]``: the org's pairings that reached each stage during the year (each
    pairing once per stage: considered, established, implemented, dropped) and ``trial``, its held
    trials of the year linked to a pairing — the matching funnel, gathered by the same scan."""

    def add(self, kpi: str, org: str, n: int = 1) -> None:
        per_org = self.counts.setdefault(kpi, {})
        per_org[org] = per_org.get(org, 0) + n

    def reached(self, org: str, step: str) -> None:
        per_step = self.pipeline.setdefault(org, {})
        per_step[step] = per_step.get(step, 0) + 1

    def pipeline_of(self, orgs: Iterable[str] | None = None) -> dict[str, int]:
        """The funnel's counts summed over ``orgs`` (None: every org)."""
        chosen = self.pipeline if orgs is None else {o: self.pipeline.get(o, {}) for o in orgs}
        out: dict[str, int] = {}
        for per_step in chosen.values():
            for step, n in per_step.items():
                out[step] = out.get(step, 0) + n
        return out


def _subtotals(by_org: Mapping[str, int]) -> dict[str, int]:
    national = sum(n for org, n in by_org.items() if ORGS[org].kind is OrgKind.NATIONAL_FORUM)
    regional = sum(n for org, n in by_org.items() if ORGS[org].kind is OrgKind.REGIONAL_FORUM)
    return {"total": sum(by_org.values()), "national_forums": national, "regional_forums": regional}


def _full_by_org(values: Mapping[str, int]) -> dict[str, int]:
    unknown = set(values) - set(ORGS)
    if unknown:
        raise ValueError(f"unknown org codes in tally: {sorted(unknown)}")
    return {org: int(values.get(org, 0)) for org in ORG_CODES}


def _count_entry(by_org: Mapping[str, int], target: float | None) -> dict[str, object]:
    full = _full_by_org(by_org)
    entry: dict[str, object] = dict(_subtotals(full))
    entry["by_org"] = full
    entry["target"] = target
    return entry


def rate(numerator: int, denominator: int = MUNICIPALITY_COUNT) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def assemble_tally(facts: TallyFacts, targets: Mapping[str, float]) -> dict[str, object]:
    """The tally of SYNC_FORMAT §6 (``tally --format json``) from the facts of one fiscal year.

    A sum of per-org counts is the official figure (延べ); ``distinct_total`` of
    ``supported_municipalities`` counts each local government once (実数).
    """
    kpis: dict[str, object] = {}

    lg_by_org = {org: len(codes) for org, codes in facts.lg_codes.items()}
    municipalities = _count_entry(lg_by_org, targets.get("supported_municipalities"))
    distinct: set[str] = set().union(*facts.lg_codes.values()) if facts.lg_codes else set()
    municipalities["distinct_total"] = len(distinct)
    kpis["supported_municipalities"] = municipalities

    countries_by_org = {org: len(c) for org, c in facts.countries.items()}
    kpis["supported_countries"] = _count_entry(countries_by_org, targets.get("supported_countries"))

    for code in _DIRECT_COUNTS:
        kpis[code] = _count_entry(facts.counts.get(code, {}), targets.get(code))

    total_by_org: dict[str, int] = {}
    for part in MATCHING_PARTS:
        for org, n in facts.counts.get(part, {}).items():
            total_by_org[org] = total_by_org.get(org, 0) + n
    kpis["matching_total"] = _count_entry(total_by_org, targets.get("matching_total"))

    for code, numerator in (
        ("mayors_council_rate", facts.mayors_council_members),
        ("admin_member_rate", facts.admin_members),
    ):
        kpis[code] = {
            "total": rate(numerator),
            "numerator": numerator,
            "denominator": MUNICIPALITY_COUNT,
            "target": targets.get(code),
        }

    ordered = {code: kpis[code] for code in KPI_CODES}
    return {"fiscal_year": facts.fiscal_year, "kpis": ordered}


def achievement(value: float, target: float | None) -> float | None:
    """Achievement ratio (達成率) of ``value`` against ``target``; None without a target."""
    if target is None or target <= 0:
        return None
    return value / target


def latest_targets(rows: Iterable[tuple[str, float, str]]) -> dict[str, float]:
    """Targets from (kpi, target, hlc) rows of one year: where two records name one KPI, the newer wins."""
    best: dict[str, tuple[str, float]] = {}
    for kpi, target, hlc in rows:
        if kpi not in best or hlc > best[kpi][0]:
            best[kpi] = (hlc, float(target))
    return {kpi: value for kpi, (_, value) in best.items()}


FY2024_TARGETS: dict[str, float] = {
    "supported_municipalities": 300,
    "forums_held": 50,
    "matching_total": 200,
    "mayors_council_rate": 0.7,
    "mayors_council_activities": 10,
    "workshops": 5,
}
"""The FY2024 (令和6年度) targets of the business plan, used for demo data."""


def closed_notes(tally: Mapping[str, object]) -> list[str]:
    """What a reader of a closed year's report must know (SYNC_FORMAT §6 ``closed``,
    ``live_differs``): whose official figures these are, and which the records have changed since."""
    from datetime import date

    from jcim_desktop.domain.fiscal import format_era_date

    closed = tally.get("closed")
    if not isinstance(closed, Mapping):
        return []
    when = str(closed.get("at") or "")[:10]
    try:
        when = format_era_date(date.fromisoformat(when))
    except ValueError:
        pass
    what = "公表値として記録した" if closed.get("source") == "published" else "確定した"
    lines = [f"この年度の数値は、{when}に{closed.get('by') or '事務局'}が{what}公式の数値（確定値）です。"]
    differs_codes = tally.get("live_differs")
    differs = [KPI_BY_CODE[str(code)].label for code in (differs_codes if isinstance(differs_codes, list) else ())
               if str(code) in KPI_BY_CODE]
    if differs:
        lines.append(f"確定後に記録が変わり、現在の記録から数えると次の数値が異なります: {'、'.join(differs)}。")
    return lines
