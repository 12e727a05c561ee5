"""The rows of the official KPI result table and of the per-org breakdown, as values.

``services.kpi_table`` builds them from a tally; the national tally page, the PDF and the Excel
reports read them. Rows are typed values (codes, counts, rates as fractions); the window words
them in its language (``ui.labels``, ``tr``). The printed documents are Japanese only: their
wording is at the end of this module (``japanese_label`` …), and the rows carry it as
``label``/``description``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jcim_desktop.domain.kpi import KPI_BY_CODE
from jcim_desktop.domain.orgs import ORGS

SUPPORTED_GROSS = "supported_municipalities_gross"
"""The term of 支援自治体数（延べ）: each organisation's count, summed (the official figure)."""
SUPPORTED_DISTINCT = "supported_municipalities_distinct"
"""The term of 支援自治体数（実数）: a local government counted once however many supported it."""
REGIONAL_FORUMS_HELD = "regional_forums_held"
"""The term of フォーラム実施数 in the 地方フォーラム section (地方フォーラム実施数)."""


@dataclass(frozen=True)
class KpiRow:
    """One row of the official table.

    ``indent`` is 0 for a section heading, 1 for a KPI, 2 for a sub-row (実数, the four parts
    of マッチング・現場試行・実装実施数). ``kpi`` is None on a heading. ``term`` names what the
    row says: the section code on a heading, else a KPI code or one of ``SUPPORTED_GROSS``,
    ``SUPPORTED_DISTINCT``, ``REGIONAL_FORUMS_HELD``. ``target`` and ``achievement`` are given on
    総合計 rows only (targets are national). Rates (``is_rate``) are fractions, with the local
    governments counted (``numerator``) of all (``denominator``).
    """

    section: str
    kpi: str | None
    term: str
    value: float | None
    target: float | None
    achievement: float | None
    indent: int
    is_rate: bool = False
    numerator: int | None = None
    denominator: int | None = None
    label: str = field(init=False)
    """The Japanese wording of ``term`` (the printed documents'; the window words it itself)."""
    description: str = field(init=False)
    """The Japanese KPI内容説明 (the printed documents'; the window words it itself)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", japanese_label(self.term))
        object.__setattr__(self, "description", japanese_description(self.term))

    @property
    def is_heading(self) -> bool:
        return self.kpi is None

    @property
    def measured(self) -> bool:
        """A KPI row of 総合計: the one that has (or lacks) a target and an achievement."""
        return self.section == "total" and self.indent == 1


@dataclass(frozen=True)
class OrgColumn:
    kpi: str
    label: str = field(init=False)
    """The Japanese column heading of the printed documents."""
    short_label: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", _JAPANESE_COLUMNS[self.kpi][0])
        object.__setattr__(self, "short_label", _JAPANESE_COLUMNS[self.kpi][1])


@dataclass(frozen=True)
class OrgRow:
    """A row of the breakdown: ``kind`` is ``heading``, ``org``, ``subtotal`` or ``total``;
    ``group`` is ``national_forums``, ``regional_forums`` or ``others`` (``total`` on the last
    row), ``org`` the org code of an ``org`` row."""

    group: str
    org: str | None
    kind: str
    values: dict[str, int] = field(default_factory=dict)
    label: str = field(init=False)
    """The Japanese wording of the row in the printed documents."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", japanese_org_row_label(self.kind, self.group, self.org))

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


# Japanese wording of the printed documents (PDF, Excel: Japanese only) ---------------------------

_JAPANESE_TERMS: dict[str, str] = {
    "total": "総合計",
    "national_forums": "全国フォーラム小計",
    "regional_forums": "地方フォーラム小計",
    SUPPORTED_GROSS: "支援自治体数（延べ）",
    SUPPORTED_DISTINCT: "支援自治体数（実数）",
    REGIONAL_FORUMS_HELD: "地方フォーラム実施数",
}
_JAPANESE_DESCRIPTIONS: dict[str, str] = {
    SUPPORTED_DISTINCT: "同じ自治体を複数の組織が支援しても1団体と数えた数",
}
_JAPANESE_GROUPS: dict[str, str] = {
    "national_forums": "全国フォーラム",
    "regional_forums": "地方フォーラム",
    "others": "部会・事務局",
}
_JAPANESE_COLUMNS: dict[str, tuple[str, str]] = {
    "supported_municipalities": ("支援自治体数", "支援自治体数"),
    "supported_countries": ("支援国（地域）数", "支援国（地域）数"),
    "forums_held": ("フォーラム実施数", "フォーラム実施数"),
    "matching_considered": ("マッチング検討数", "マッチング検討"),
    "matching_established": ("マッチング成立数", "マッチング成立"),
    "field_trials": ("現場試行数", "現場試行"),
    "implemented": ("社会実装数", "社会実装"),
    "matching_total": ("マッチング・現場試行・実装実施数", "マッチング等 計"),
    "workshops": ("出前授業およびワークショップ開催数", "出前授業等"),
    "mayors_council_activities": ("市区町村長会議における活動実施数", "市区町村長会議 活動"),
}


def japanese_label(term: str) -> str:
    """A ``KpiRow.term`` in the words of the official (Japanese) table."""
    if term in _JAPANESE_TERMS:
        return _JAPANESE_TERMS[term]
    definition = KPI_BY_CODE.get(term)
    return definition.label if definition else term


def japanese_description(term: str) -> str:
    """The KPI内容説明 of a ``KpiRow.term`` (empty on a heading)."""
    if term in _JAPANESE_DESCRIPTIONS:
        return _JAPANESE_DESCRIPTIONS[term]
    code = "supported_municipalities" if term == SUPPORTED_GROSS else "forums_held" if term == REGIONAL_FORUMS_HELD else term
    definition = KPI_BY_CODE.get(code)
    return definition.description if definition else ""


def japanese_org_row_label(kind: str, group: str, org: str | None) -> str:
    """An ``OrgRow`` in the words of the official (Japanese) breakdown."""
    if kind == "org" and org is not None:
        return ORGS[org].name if org in ORGS else org
    if kind == "total":
        return _JAPANESE_TERMS["total"]
    if kind == "subtotal":
        return _JAPANESE_TERMS.get(group, f"{_JAPANESE_GROUPS.get(group, group)} 計")
    return _JAPANESE_GROUPS.get(group, group)
