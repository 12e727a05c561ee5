"""The official KPI result table (総合計 / 全国フォーラム小計 / 地方フォーラム小計) and the per-org breakdown.

Both are built from a tally (``services.tally.tally``, SYNC_FORMAT §6) and hold no Qt, so the
national tally page, the PDF and the Excel reports lay out the same rows the same way. The rows
are ``domain.kpi_rows`` values, which the reports read as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES, MATCHING_PARTS, achievement
from jcim_desktop.domain.kpi_rows import (
    REGIONAL_FORUMS_HELD,
    SUPPORTED_DISTINCT,
    SUPPORTED_GROSS,
    KpiRow,
    OrgColumn,
    OrgRow,
)
from jcim_desktop.domain.orgs import ORG_CODES, ORGS, OrgKind

SECTIONS: tuple[str, ...] = ("total", "national_forums", "regional_forums")
"""総合計, 全国フォーラム小計, 地方フォーラム小計, in the order of the official table."""

# The rows of each section, in the order of the official table (rates in 総合計 only).
_SECTION_KPIS: tuple[str, ...] = (
    "supported_municipalities",
    "supported_countries",
    "forums_held",
    "matching_total",
    "workshops",
    "mayors_council_activities",
)
_RATE_KPIS: tuple[str, ...] = ("mayors_council_rate", "admin_member_rate")


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


def _target(entry: Mapping[str, Any]) -> float | None:
    target = entry.get("target")
    return float(target) if isinstance(target, (int, float)) else None


def _known(entry: Mapping[str, Any], key: str) -> float | None:
    """``entry[key]`` as a number; None where a closed year's published figure gives only the
    total (no subtotals or 実数 were published), 0 where a tally simply has nothing."""
    if key not in entry and "total" in entry:
        return None
    return _number(entry.get(key))


def _kpi_row(section: str, code: str, entry: Mapping[str, Any], *, term: str | None = None, indent: int = 1) -> KpiRow:
    shown = _known(entry, section)
    target = _target(entry) if section == "total" else None
    return KpiRow(
        section=section,
        kpi=code,
        term=term or code,
        value=shown,
        target=target,
        achievement=achievement(shown, target) if section == "total" and shown is not None else None,
        indent=indent,
    )


def official_table(tally: Mapping[str, Any]) -> list[KpiRow]:
    """The rows of the official KPI result table for one fiscal year's tally."""
    kpis: Mapping[str, Mapping[str, Any]] = tally["kpis"]
    rows: list[KpiRow] = []
    for section in SECTIONS:
        rows.append(KpiRow(section, None, section, None, None, None, 0))
        for code in _SECTION_KPIS:
            entry = kpis.get(code, {})
            if code == "supported_municipalities":
                rows.append(_kpi_row(section, code, entry, term=SUPPORTED_GROSS))
                if section == "total":
                    distinct = _known(entry, "distinct_total")
                    rows.append(KpiRow(section, code, SUPPORTED_DISTINCT, distinct, None, None, 2))
            elif code == "forums_held" and section == "regional_forums":
                rows.append(_kpi_row(section, code, entry, term=REGIONAL_FORUMS_HELD))
            elif code == "matching_total":
                rows.append(_kpi_row(section, code, entry))
                for part in MATCHING_PARTS:
                    rows.append(_kpi_row(section, part, kpis.get(part, {}), indent=2))
            else:
                rows.append(_kpi_row(section, code, entry))
        if section == "total":
            for code in _RATE_KPIS:
                entry = kpis.get(code, {})
                value = _number(entry.get("total"))
                target = _target(entry)
                rows.append(KpiRow(
                    section, code, code, value, target, achievement(value, target), 1, is_rate=True,
                    numerator=_count(entry.get("numerator")), denominator=_count(entry.get("denominator")),
                ))
    return rows


# A closed year: its official figures against the live ones ------------------------------------

@dataclass(frozen=True)
class Difference:
    """A KPI whose live figure differs from the closed (official) one: ``closed`` and ``live``
    are the totals (fractions for a rate); equal totals mean only the breakdown (per org,
    実数 or the municipalities counted) moved."""

    kpi: str
    closed: float
    live: float
    is_rate: bool = False

    @property
    def change(self) -> float:
        return self.live - self.closed

    @property
    def breakdown_only(self) -> bool:
        return abs(self.change) < 1e-9


def differences(official: Mapping[str, Any], live: Mapping[str, Any]) -> list[Difference]:
    """The KPIs of ``official["live_differs"]`` (``tally`` of a closed year), in the order of
    the KPI list, with their closed and live totals (``live`` is the same year's live tally)."""
    differing = set(official.get("live_differs") or ())
    found: list[Difference] = []
    for code in KPI_CODES:
        if code not in differing:
            continue
        closed_entry = official["kpis"].get(code, {})
        live_entry = live["kpis"].get(code, {})
        found.append(Difference(code, _number(closed_entry.get("total")), _number(live_entry.get("total")),
                                KPI_BY_CODE[code].is_rate))
    return found


# Per organisation -------------------------------------------------------------------------------

BY_ORG_KPIS: tuple[str, ...] = (
    "supported_municipalities",
    "supported_countries",
    "forums_held",
    "matching_considered",
    "matching_established",
    "field_trials",
    "implemented",
    "matching_total",
    "workshops",
    "mayors_council_activities",
)
"""The count KPIs of the breakdown, in its column order (rates are national, not per org)."""

ORG_GROUPS: tuple[tuple[str, tuple[OrgKind, ...]], ...] = (
    ("national_forums", (OrgKind.NATIONAL_FORUM,)),
    ("regional_forums", (OrgKind.REGIONAL_FORUM,)),
    ("others", (OrgKind.COMMITTEE, OrgKind.SECRETARIAT)),
)
"""The groups of the breakdown: 全国フォーラム, 地方フォーラム, 部会・事務局."""


def by_org_table(tally: Mapping[str, Any]) -> tuple[list[OrgColumn], list[OrgRow]]:
    """The count KPIs per organisation, grouped 全国フォーラム / 地方フォーラム / 部会・事務局,
    with a subtotal after each group and 総合計 last (sums of per-org counts, 延べ)."""
    kpis: Mapping[str, Mapping[str, Any]] = tally["kpis"]
    columns = [OrgColumn(code) for code in BY_ORG_KPIS]

    def value(code: str, org: str) -> int:
        by_org = kpis.get(code, {}).get("by_org") or {}
        return int(by_org.get(org, 0) or 0)

    rows: list[OrgRow] = []
    total = {c.kpi: 0 for c in columns}
    for group, kinds in ORG_GROUPS:
        rows.append(OrgRow(group, None, "heading"))
        subtotal = {c.kpi: 0 for c in columns}
        for org in ORG_CODES:
            if ORGS[org].kind not in kinds:
                continue
            values = {c.kpi: value(c.kpi, org) for c in columns}
            for code, n in values.items():
                subtotal[code] += n
            rows.append(OrgRow(group, org, "org", values))
        for code, n in subtotal.items():
            total[code] += n
        rows.append(OrgRow(group, None, "subtotal", subtotal))
    rows.append(OrgRow("total", None, "total", total))
    return columns, rows
