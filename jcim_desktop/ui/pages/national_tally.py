"""全国集計 (secretariat): the official KPI result table of a fiscal year and the per-org breakdown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain import kpi_rows
from jcim_desktop.domain.kpi_rows import SUPPORTED_DISTINCT, KpiRow, OrgColumn, OrgRow
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.kpi_table import by_org_table, official_table
from jcim_desktop.services.tally import tally
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.explain_dialog import ExplainDialog
from jcim_desktop.ui.page import FiscalYearPage
from jcim_desktop.ui.rows_model import CENTER, MUTED, Column, RowsModel, achievement_colour

translate = QCoreApplication.translate

BACKGROUNDS = {"heading": QColor("#dfe7f1"), "subtotal": QColor("#eef2f7"), "total": QColor("#d3deeb")}
"""The shading of a section heading, a subtotal and the grand total (``OrgRow.kind``)."""
DESCRIPTION = QColor("#4a5561")
INDENT = "　　"
LONG_NAME = 12
"""Organisations whose (Japanese) name is longer than this show their short name in the breakdown
(インフラメンテナンス市区町村長会議 does not fit beside ten KPI columns)."""


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def term_label(term: str) -> str:
    """What a row of the official table says (``KpiRow.term``), in the window's language."""
    if term == "total":
        return translate("NationalTallyPage", "総合計")
    if term == "national_forums":
        return translate("NationalTallyPage", "全国フォーラム小計")
    if term == "regional_forums":
        return translate("NationalTallyPage", "地方フォーラム小計")
    if term == kpi_rows.SUPPORTED_GROSS:
        return translate("NationalTallyPage", "支援自治体数（延べ）")
    if term == kpi_rows.SUPPORTED_DISTINCT:
        return translate("NationalTallyPage", "支援自治体数（実数）")
    if term == kpi_rows.REGIONAL_FORUMS_HELD:
        return translate("NationalTallyPage", "地方フォーラム実施数")
    return labels.kpi_label(term)


def term_description(row: KpiRow) -> str:
    """The KPI内容説明 of a row, in the window's language."""
    if row.term == kpi_rows.SUPPORTED_DISTINCT:
        return translate("NationalTallyPage", "同じ自治体を複数の組織が支援しても1団体と数えた数")
    return labels.kpi_description(row.kpi) if row.kpi else ""


def _figure(row: KpiRow, value: float | None) -> str:
    if value is None:
        return ""
    return fmt.percent(value) if row.is_rate else fmt.number(int(round(value)))


def _value_text(row: KpiRow) -> str:
    text = _figure(row, row.value)
    if row.is_rate and text and row.numerator is not None and row.denominator:
        return translate("NationalTallyPage", "{rate}（{numerator}／{denominator}）").format(
            rate=text, numerator=fmt.number(row.numerator), denominator=fmt.number(row.denominator))
    return text


def _or_dash(row: KpiRow, text: str) -> str:
    """Empty cells of a measured row (総合計, a KPI) read as a dash: no target this year."""
    return text or ("—" if row.measured else "")


class OfficialTableModel(RowsModel[KpiRow]):
    """The rows of ``services.kpi_table.official_table``: section headings shaded, sub-rows indented."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        measured = self.tr("この年度の KPI（目標が設定されています）")
        self.columns = [
            Column(self.tr("項目"), lambda r: r.term, text=self._label),
            Column("KPI", lambda r: r.target is not None, text=lambda r: "●" if r.target is not None else "",
                   tooltip=lambda r: measured if r.target is not None else None, align=CENTER),
            Column(self.tr("数"), lambda r: r.value, text=_value_text, numeric=True),
            Column(self.tr("目標"), lambda r: r.target, text=lambda r: _or_dash(r, _figure(r, r.target)), numeric=True),
            Column(self.tr("達成率"), lambda r: r.achievement,
                   text=lambda r: _or_dash(r, "" if r.achievement is None else fmt.percent(r.achievement)), numeric=True),
            Column(self.tr("KPI内容説明"), term_description, tooltip=lambda r: term_description(r) or None),
        ]

    @staticmethod
    def _label(row: KpiRow) -> str:
        label = term_label(row.term)
        if row.is_heading or row.indent <= 1:
            return label
        return INDENT * (row.indent - 1) + "└ " + label

    def cell_data(self, row: KpiRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.is_heading:
            return BACKGROUNDS["heading"]
        if role == Qt.ItemDataRole.FontRole and (row.is_heading or (row.indent == 1 and column in (0, 2))):
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 4 and row.achievement is not None:
                return achievement_colour(row.achievement)
            if column == 5 or (row.indent > 1 and column == 0):
                return DESCRIPTION
        return None


def _org_header(kpi: str) -> str:
    """Two-line headers for the breakdown, so ten KPI columns fit beside the org names."""
    headers = {
        "supported_municipalities": translate("NationalTallyPage", "支援\n自治体数"),
        "supported_countries": translate("NationalTallyPage", "支援国\n（地域）数"),
        "forums_held": translate("NationalTallyPage", "フォーラム\n実施数"),
        "matching_considered": translate("NationalTallyPage", "マッチング\n検討数"),
        "matching_established": translate("NationalTallyPage", "マッチング\n成立数"),
        "field_trials": translate("NationalTallyPage", "現場\n試行数"),
        "implemented": translate("NationalTallyPage", "社会\n実装数"),
        "matching_total": translate("NationalTallyPage", "マッチング等\n合計"),
        "workshops": translate("NationalTallyPage", "出前授業等\n開催数"),
        "mayors_council_activities": translate("NationalTallyPage", "市区町村長\n会議 活動数"),
    }
    return headers.get(kpi) or labels.kpi_label(kpi)


def org_row_label(row: OrgRow) -> str:
    """A row of the breakdown, in the window's language."""
    if row.kind == "org" and row.org is not None:
        long_name = row.org in ORGS and len(ORGS[row.org].name) > LONG_NAME
        return "　" + (labels.org_short(row.org) if long_name else labels.org(row.org))
    if row.kind == "total":
        return translate("NationalTallyPage", "総合計")
    if row.kind == "subtotal":
        return {
            "national_forums": translate("NationalTallyPage", "全国フォーラム小計"),
            "regional_forums": translate("NationalTallyPage", "地方フォーラム小計"),
        }.get(row.group) or translate("NationalTallyPage", "部会・事務局 計")
    return {
        "national_forums": translate("NationalTallyPage", "全国フォーラム"),
        "regional_forums": translate("NationalTallyPage", "地方フォーラム"),
    }.get(row.group) or translate("NationalTallyPage", "部会・事務局")


class ByOrgModel(RowsModel[OrgRow]):
    """Count KPIs per organisation, grouped, with subtotals and 総合計."""

    kpis: list[str] = []
    """The KPI of each column after the first (the organisation's)."""

    def load(self, columns: list[OrgColumn], rows: list[OrgRow]) -> None:
        self.kpis = [c.kpi for c in columns]
        self.set_columns([
            Column(self.tr("組織"), lambda r: r.org or r.group, text=org_row_label,
                   tooltip=lambda r: labels.org(r.org) if r.kind == "org" and r.org else None),
            *(self._kpi_column(c.kpi) for c in columns),
        ])
        self.set_rows(rows)

    def column_of(self, kpi: str) -> int:
        """The column showing ``kpi``."""
        return 1 + self.kpis.index(kpi)

    @staticmethod
    def _kpi_column(kpi: str) -> Column[OrgRow]:
        return Column(_org_header(kpi), lambda r: r.values.get(kpi, 0),
                      text=lambda r: "" if r.is_heading else fmt.number(r.values.get(kpi, 0)),
                      numeric=True, header_tooltip=labels.kpi_label(kpi))

    def cell_data(self, row: OrgRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return BACKGROUNDS.get(row.kind)
        if role == Qt.ItemDataRole.FontRole and row.kind != "org":
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "org" and column > 0:
            return MUTED if self.columns[column].value(row) == 0 else None
        return None


class NationalTallyPage(FiscalYearPage):
    page_id = "national_tally"
    title = "全国集計"
    entities = ()
    shows_kpis = True

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        years = fmt.fiscal_year_choices(back=6, ahead=1)
        super().__init__(ctx, bus, parent, years=years, current=fmt.current_fiscal_year())
        self.result: dict[str, Any] | None = None
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet(palette.colour(palette.MUTED))
        head = QHBoxLayout()
        head.addWidget(self.title_label())
        head.addSpacing(12)
        head.addWidget(self.subtitle, 1)
        head.addWidget(QLabel(self.tr("年度")))
        head.addWidget(self.fy_combo)

        self.official_model = OfficialTableModel(self)
        self.official_view = self._view(self.official_model)
        self.by_org_model = ByOrgModel(parent=self)
        self.by_org_view = self._view(self.by_org_model)
        self.by_org_view.horizontalHeader().setStretchLastSection(False)
        self.official_view.activated.connect(self._explain_official)
        self.by_org_view.activated.connect(self._explain_by_org)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.official_view, self.tr("KPI集計表（総合計・小計）"))
        self.tabs.addTab(self.by_org_view, self.tr("組織別の内訳"))

        note = QLabel(self.tr(
            "この端末が持つすべての記録（各組織から受け取った最新のパッケージまで）で集計しています。"
            "支援自治体数は組織ごとの数の合計（延べ）が公式の数値で、実数は同じ自治体を1回と数えた参考値です。"
            "● はこの年度に目標のある KPI、達成率は総合計の数 ÷ 目標です。"
        ))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)

    @staticmethod
    def _view(model: QAbstractItemModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(25)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setWordWrap(False)
        return view

    def explain(self, kpi: str, org: str | None) -> ExplainDialog:
        """Open the records behind ``kpi``'s figure for ``org`` (None: 総合計)."""
        dialog = ExplainDialog(self.ctx, self.fiscal_year(), kpi, org, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _explain_official(self, index: QModelIndex) -> None:
        # A 総合計 figure (double click or Enter): subtotal rows and the 実数 reference have no list.
        row = self.official_model.row_at(index.row())
        if row is not None and row.section == "total" and row.kpi and row.term != SUPPORTED_DISTINCT:
            self.explain(row.kpi, None)

    def _explain_by_org(self, index: QModelIndex) -> None:
        row = self.by_org_model.row_at(index.row())
        if row is not None and index.column() > 0 and row.kind in ("org", "total"):
            self.explain(self.by_org_model.kpis[index.column() - 1], row.org if row.kind == "org" else None)

    def refresh(self) -> None:
        """Tally the chosen year off the GUI thread."""
        ctx = self.ctx
        self.subtitle.setText(self.tr("{fiscal_year}を集計しています…").format(fiscal_year=fmt.fy_label(self.fiscal_year())))
        self.read_year(lambda fy: tally(ctx, fy), self.apply)

    def apply(self, result: dict[str, Any]) -> None:
        self.result = result
        self.subtitle.setText(self.tr("事務局｜{fiscal_year}の KPI 実績").format(
            fiscal_year=fmt.fy_label(int(result["fiscal_year"]))))
        rows = official_table(result)
        self.official_model.set_rows(rows)
        self.official_view.clearSpans()
        for number, row in enumerate(rows):
            if row.is_heading:
                self.official_view.setSpan(number, 0, 1, self.official_model.columnCount())
        self._fit(self.official_view, (300, 44, 180, 80, 76))
        columns, org_rows = by_org_table(result)
        self.by_org_model.load(columns, org_rows)
        self.by_org_view.clearSpans()
        for number, org_row in enumerate(org_rows):
            if org_row.is_heading:
                self.by_org_view.setSpan(number, 0, 1, self.by_org_model.columnCount())
        self._fit(self.by_org_view, (200, *[82] * (self.by_org_model.columnCount() - 1)))
        self.by_org_view.horizontalHeader().setFixedHeight(44)

    @staticmethod
    def _fit(view: QTableView, widths: tuple[int, ...]) -> None:
        """Columns at least ``widths`` wide, wider where their texts (in either language) need it."""
        for col, width in enumerate(widths):
            view.resizeColumnToContents(col)
            view.setColumnWidth(col, max(width, view.columnWidth(col)))
