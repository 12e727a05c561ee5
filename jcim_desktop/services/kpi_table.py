"""The official KPI result table (総合計 / 全国フォーラム小計 / 地方フォーラム小計) and the per-org breakdown.

Both are built from a tally (``services.tally.tally``, SYNC_FORMAT §6) and hold no Qt, so the
national tally page, the PDF and the Excel reports lay out the same rows the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jcim_desktop.domain.kpi import KPI_BY_CODE, MATCHING_PARTS, achievement
from jcim_desktop.domain.orgs import ORG_CODES, ORGS, OrgKind

SECTIONS: tuple[tuple[str, str], ...] = (
    ("total", "総合計"),
    ("national_forums", "全国フォーラム小計"),
    ("regional_forums", "地方フォーラム小計"),
)
SECTION_LABELS: dict[str, str] = dict(SECTIONS)

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


@dataclass(frozen=True)
class KpiRow:
    """One row of the official table.

    ``indent`` is 0 for a section heading, 1 for a KPI, 2 for a sub-row (実数, the four parts
    of マッチング・現場試行・実装実施数). ``kpi`` is None on a heading. ``target`` and
    ``achievement`` are given on 総合計 rows only (targets are national).
    """

    section: str
    kpi: str | None
    label: str
    value: float | None
    target: float | None
    achievement: float | None
    indent: int
    description: str = ""
    is_rate: bool = False
    numerator: int | None = None
    denominator: int | None = None

    @property
    def is_heading(self) -> bool:
        return self.kpi is None

    @property
    def value_text(self) -> str:
        if self.value is None:
            return ""
        if self.is_rate:
            text = f"{self.value:.1%}"
            if self.numerator is not None and self.denominator:
                text += f"（{self.numerator:,}／{self.denominator:,}）"
            return text
        return f"{self.value:,.0f}"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return f"{self.target:.1%}" if self.is_rate else f"{self.target:,.0f}"

    @property
    def achievement_text(self) -> str:
        return "" if self.achievement is None else f"{self.achievement:.1%}"


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def _target(entry: Mapping[str, Any]) -> float | None:
    target = entry.get("target")
    return float(target) if isinstance(target, (int, float)) else None


def _kpi_row(section: str, code: str, entry: Mapping[str, Any], *, label: str | None = None,
             indent: int = 1, value: float | None = None, with_target: bool | None = None) -> KpiRow:
    kpi = KPI_BY_CODE[code]
    shown = _number(entry.get(section)) if value is None else value
    with_target = section == "total" if with_target is None else with_target
    target = _target(entry) if with_target else None
    return KpiRow(
        section=section,
        kpi=code,
        label=label or kpi.label,
        value=shown,
        target=target,
        achievement=achievement(shown, target) if with_target else None,
        indent=indent,
        description=kpi.description,
    )


def official_table(tally: Mapping[str, Any]) -> list[KpiRow]:
    """The rows of the official KPI result table for one fiscal year's tally."""
    kpis: Mapping[str, Mapping[str, Any]] = tally["kpis"]
    rows: list[KpiRow] = []
    for section, section_label in SECTIONS:
        rows.append(KpiRow(section, None, section_label, None, None, None, 0))
        for code in _SECTION_KPIS:
            entry = kpis.get(code, {})
            if code == "supported_municipalities":
                rows.append(_kpi_row(section, code, entry, label="支援自治体数（延べ）"))
                if section == "total":
                    distinct = _number(entry.get("distinct_total"))
                    rows.append(KpiRow(
                        section, code, "支援自治体数（実数）", distinct, None, None, 2,
                        "同じ自治体を複数の組織が支援しても1団体と数えた数",
                    ))
            elif code == "forums_held" and section == "regional_forums":
                rows.append(_kpi_row(section, code, entry, label="地方フォーラム実施数"))
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
                kpi = KPI_BY_CODE[code]
                numerator = entry.get("numerator")
                denominator = entry.get("denominator")
                rows.append(KpiRow(
                    section, code, kpi.label, value, target, achievement(value, target), 1, kpi.description,
                    is_rate=True,
                    numerator=int(numerator) if isinstance(numerator, (int, float)) else None,
                    denominator=int(denominator) if isinstance(denominator, (int, float)) else None,
                ))
    return rows


# Per organisation -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrgColumn:
    kpi: str
    label: str
    short_label: str


BY_ORG_COLUMNS: tuple[OrgColumn, ...] = (
    OrgColumn("supported_municipalities", "支援自治体数", "支援自治体数"),
    OrgColumn("supported_countries", "支援国（地域）数", "支援国（地域）数"),
    OrgColumn("forums_held", "フォーラム実施数", "フォーラム実施数"),
    OrgColumn("matching_considered", "マッチング検討数", "マッチング検討"),
    OrgColumn("matching_established", "マッチング成立数", "マッチング成立"),
    OrgColumn("field_trials", "現場試行数", "現場試行"),
    OrgColumn("implemented", "社会実装数", "社会実装"),
    OrgColumn("matching_total", "マッチング・現場試行・実装実施数", "マッチング等 計"),
    OrgColumn("workshops", "出前授業およびワークショップ開催数", "出前授業等"),
    OrgColumn("mayors_council_activities", "市区町村長会議における活動実施数", "市区町村長会議 活動"),
)

ORG_GROUPS: tuple[tuple[str, str, tuple[OrgKind, ...]], ...] = (
    ("national_forums", "全国フォーラム", (OrgKind.NATIONAL_FORUM,)),
    ("regional_forums", "地方フォーラム", (OrgKind.REGIONAL_FORUM,)),
    ("others", "部会・事務局", (OrgKind.COMMITTEE, OrgKind.SECRETARIAT)),
)


@dataclass(frozen=True)
class OrgRow:
    """A row of the breakdown: ``kind`` is ``heading``, ``org``, ``subtotal`` or ``total``."""

    group: str
    org: str | None
    label: str
    kind: str
    values: dict[str, int] = field(default_factory=dict)

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


def by_org_table(tally: Mapping[str, Any]) -> tuple[list[OrgColumn], list[OrgRow]]:
    """The count KPIs per organisation, grouped 全国フォーラム / 地方フォーラム / 部会・事務局,
    with a subtotal after each group and 総合計 last (sums of per-org counts, 延べ)."""
    kpis: Mapping[str, Mapping[str, Any]] = tally["kpis"]
    columns = list(BY_ORG_COLUMNS)

    def value(code: str, org: str) -> int:
        by_org = kpis.get(code, {}).get("by_org") or {}
        return int(by_org.get(org, 0) or 0)

    rows: list[OrgRow] = []
    total = {c.kpi: 0 for c in columns}
    for group, label, kinds in ORG_GROUPS:
        rows.append(OrgRow(group, None, label, "heading"))
        subtotal = {c.kpi: 0 for c in columns}
        for org in ORG_CODES:
            if ORGS[org].kind not in kinds:
                continue
            values = {c.kpi: value(c.kpi, org) for c in columns}
            for code, n in values.items():
                subtotal[code] += n
            rows.append(OrgRow(group, org, ORGS[org].name, "org", values))
        for code, n in subtotal.items():
            total[code] += n
        subtotal_label = SECTION_LABELS.get(group, f"{label} 計")
        rows.append(OrgRow(group, None, subtotal_label, "subtotal", subtotal))
    rows.append(OrgRow("total", None, "総合計", "total", total))
    return columns, rows
