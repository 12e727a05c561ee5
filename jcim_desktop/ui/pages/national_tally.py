"""全国集計 (secretariat): the official KPI result table of a fiscal year and the per-org breakdown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain import kpi_rows
from jcim_desktop.domain.kpi_rows import SUPPORTED_DISTINCT, KpiRow, OrgColumn, OrgRow
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.services import closing
from jcim_desktop.services.closing import Closure
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.kpi_table import Difference, by_org_table, differences, official_table
from jcim_desktop.services.tally import official_and_live
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.close_year_dialog import CloseYearDialog
from jcim_desktop.ui.dialogs.base import ask
from jcim_desktop.ui.explain_dialog import ExplainDialog
from jcim_desktop.ui.page import FiscalYearPage
from jcim_desktop.ui.rows_model import CENTER, MUTED, Column, RowsModel, achievement_colour
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.columns import ColumnFitter, ColumnWidth, header_width

translate = QCoreApplication.translate

BACKGROUNDS = {"heading": QColor("#dfe7f1"), "subtotal": QColor("#eef2f7"), "total": QColor("#d3deeb")}
"""The shading of a section heading, a subtotal and the grand total (``OrgRow.kind``)."""
DESCRIPTION = QColor("#4a5561")
CHANGED = QColor(palette.CAUTION)
"""A closed year's figure that the records no longer give (or the other way round)."""
BANNER_STYLE = (
    "QFrame#closedBanner { background: #eef4ec; border: 1px solid #b9d3b0; border-radius: 6px; }"
    "QFrame#closedBanner QLabel { background: transparent; }"
)
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


def _differs(shown: float | None, other: float | None) -> bool:
    return shown is not None and other is not None and abs(shown - other) > 1e-9


def change_text(difference: Difference) -> str:
    """「フォーラム実施数 確定 33 → 現在 34（+1）」: one KPI whose records changed after closing."""
    if difference.breakdown_only:
        return translate("NationalTallyPage", "{kpi} 合計は同じで内訳が変わりました").format(
            kpi=labels.kpi_label(difference.kpi))
    if difference.is_rate:
        closed, live = fmt.percent(difference.closed), fmt.percent(difference.live)
        points = difference.change * 100
        change = ("+" if points > 0 else "−") + translate("NationalTallyPage", "{points}ポイント").format(
            points=f"{abs(points):.1f}")
    else:
        closed, live = fmt.number(int(round(difference.closed))), fmt.number(int(round(difference.live)))
        change = ("+" if difference.change > 0 else "−") + fmt.number(abs(int(round(difference.change))))
    return translate("NationalTallyPage", "{kpi} 確定 {closed} → 現在 {live}（{change}）").format(
        kpi=labels.kpi_label(difference.kpi), closed=closed, live=live, change=change)


class OfficialTableModel(RowsModel[KpiRow]):
    """The rows of ``services.kpi_table.official_table``: section headings shaded, sub-rows indented.

    For a closed year :meth:`compare` gives the same rows of the other figures (the live ones
    beside the official ones, or the other way round): a figure that differs says both.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        measured = self.tr("この年度の KPI（目標が設定されています）")
        self.others: list[KpiRow] = []
        self.others_live = True
        self.columns = [
            Column(self.tr("項目"), lambda r: r.term, text=self._label, tooltip=lambda r: term_label(r.term)),
            Column("KPI", lambda r: r.target is not None, text=lambda r: "●" if r.target is not None else "",
                   tooltip=lambda r: measured if r.target is not None else None, align=CENTER),
            Column(self.tr("数"), lambda r: r.value, text=self._value, tooltip=self._value_tip, numeric=True),
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

    def compare(self, rows: list[KpiRow], others: list[KpiRow], others_live: bool) -> None:
        """Show ``rows``, each figure beside the same row of ``others`` where they differ
        (``others_live``: the others are the live figures; else the closed ones)."""
        self.others = others if len(others) == len(rows) else []
        self.others_live = others_live
        self.set_rows(rows)

    def other(self, row: KpiRow) -> KpiRow | None:
        """The same row of the other figures, where its figure differs from ``row``'s."""
        if not self.others or row.is_heading:
            return None
        try:
            other = self.others[self.rows.index(row)]
        except ValueError:
            return None
        return other if _differs(row.value, other.value) else None

    def _value(self, row: KpiRow) -> str:
        text = _value_text(row)
        other = self.other(row)
        if other is None:
            return text
        if self.others_live:
            return self.tr("{value}（現在 {other}）").format(value=text, other=_figure(other, other.value))
        return self.tr("{value}（確定 {other}）").format(value=text, other=_figure(other, other.value))

    def _value_tip(self, row: KpiRow) -> str | None:
        other = self.other(row)
        if other is None:
            return None
        closed, live = (row, other) if self.others_live else (other, row)
        return self.tr("確定した数値 {closed}／現在の記録では {live}").format(
            closed=_figure(closed, closed.value), live=_figure(live, live.value))

    def cell_data(self, row: KpiRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.is_heading:
            return BACKGROUNDS["heading"]
        if role == Qt.ItemDataRole.FontRole and (row.is_heading or (row.indent == 1 and column in (0, 2))):
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and self.other(row) is not None:
            return CHANGED
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
    """Count KPIs per organisation, grouped, with subtotals and 総合計; for a closed year, a
    figure that differs from the other figures (live or closed) stands out and says both."""

    kpis: list[str] = []
    """The KPI of each column after the first (the organisation's)."""
    others: list[OrgRow] = []
    others_live = True

    def load(self, columns: list[OrgColumn], rows: list[OrgRow], others: list[OrgRow] | None = None,
             others_live: bool = True) -> None:
        self.kpis = [c.kpi for c in columns]
        self.others = others if others is not None and len(others) == len(rows) else []
        self.others_live = others_live
        self.set_columns([
            Column(self.tr("組織"), lambda r: r.org or r.group, text=org_row_label,
                   tooltip=lambda r: labels.org(r.org) if r.kind == "org" and r.org else org_row_label(r)),
            *(self._kpi_column(c.kpi) for c in columns),
        ])
        self.set_rows(rows)

    def column_of(self, kpi: str) -> int:
        """The column showing ``kpi``."""
        return 1 + self.kpis.index(kpi)

    def _kpi_column(self, kpi: str) -> Column[OrgRow]:
        return Column(_org_header(kpi), lambda r: r.values.get(kpi, 0),
                      text=lambda r: "" if r.is_heading else fmt.number(r.values.get(kpi, 0)),
                      tooltip=lambda r: self._tip(r, kpi),
                      numeric=True, header_tooltip=labels.kpi_label(kpi))

    def other(self, row: OrgRow, kpi: str) -> int | None:
        """The other figure of this cell, where it differs."""
        if not self.others or row.is_heading:
            return None
        try:
            other = self.others[self.rows.index(row)]
        except ValueError:
            return None
        value = other.values.get(kpi, 0)
        return value if value != row.values.get(kpi, 0) else None

    def _tip(self, row: OrgRow, kpi: str) -> str | None:
        other = self.other(row, kpi)
        if other is None:
            return None
        shown = row.values.get(kpi, 0)
        closed, live = (shown, other) if self.others_live else (other, shown)
        return self.tr("確定した数値 {closed}／現在の記録では {live}").format(
            closed=fmt.number(closed), live=fmt.number(live))

    def cell_data(self, row: OrgRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return BACKGROUNDS.get(row.kind)
        if (role == Qt.ItemDataRole.ForegroundRole and column > 0
                and self.other(row, self.kpis[column - 1]) is not None):
            return CHANGED
        if role == Qt.ItemDataRole.FontRole and row.kind != "org":
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "org" and column > 0:
            return MUTED if self.columns[column].value(row) == 0 else None
        return None


class NationalTallyPage(FiscalYearPage):
    """The official KPI table and the breakdown of a fiscal year; the secretariat closes the year
    here (確定…) and, once it is closed, sees its official figures, when and by whom it was
    closed, and which figures the records have changed since (the live figures a click away)."""

    page_id = "national_tally"
    title = "全国集計"
    entities = ()
    shows_kpis = True

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        years = fmt.fiscal_year_choices(back=6, ahead=1)
        super().__init__(ctx, bus, parent, years=years, current=fmt.current_fiscal_year())
        self.result: dict[str, Any] | None = None
        """The figures shown: a closed year's official ones, else the live ones (``tally``)."""
        self.live_result: dict[str, Any] | None = None
        self.closure: Closure | None = None
        self.differences: list[Difference] = []
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet(palette.colour(palette.MUTED))
        self.close_button = push_button(self.tr("確定…"), self.close_year,
                                        self.tr("この年度の数値を公式の数値として確定します"))
        self.close_button.setEnabled(False)
        self.close_button.setVisible(ctx.is_secretariat)
        head = QHBoxLayout()
        head.addWidget(self.title_label())
        head.addSpacing(12)
        head.addWidget(self.subtitle, 1)
        head.addWidget(self.close_button)
        head.addSpacing(8)
        head.addWidget(QLabel(self.tr("年度")))
        head.addWidget(self.fy_combo)

        self.official_model = OfficialTableModel(self)
        self.official_view = self._view(self.official_model)
        self.by_org_model = ByOrgModel(parent=self)
        self.by_org_view = self._view(self.by_org_model)
        # Both tables fit the page's width: figures whole; names and descriptions cut (their
        # tool tips whole) before a horizontal scroll bar would appear.
        self.official_fitter = ColumnFitter(self.official_view, self._official_widths)
        self.by_org_fitter = ColumnFitter(self.by_org_view, self._by_org_widths)
        self.official_view.activated.connect(self._explain_official)
        self.by_org_view.activated.connect(self._explain_by_org)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.official_view, self.tr("KPI集計表（総合計・小計）"))
        self.tabs.addTab(self.by_org_view, self.tr("組織別の内訳"))

        note = QLabel(self.tr(
            "確定していない年度は、この端末が持つすべての記録（各組織から受け取った最新のパッケージまで）で集計しています。"
            "支援自治体数は組織ごとの数の合計（延べ）が公式の数値で、実数は同じ自治体を1回と数えた参考値です。"
            "● はこの年度に目標のある KPI、達成率は総合計の数 ÷ 目標です。"
        ))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(self._closed_banner())
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)

    def _closed_banner(self) -> QFrame:
        """What a closed year says: closed when and by whom, what changed since, and the way back."""
        banner = QFrame()
        banner.setObjectName("closedBanner")
        banner.setStyleSheet(BANNER_STYLE)
        self.closed_label = QLabel()
        self.closed_label.setStyleSheet("font-weight: bold; color: #25612f;")
        self.closed_label.setWordWrap(True)
        self.live_check = QCheckBox(self.tr("現在の記録で表示"))
        self.live_check.setToolTip(self.tr("確定した数値の代わりに、今の記録から数えた数値を表に出します"))
        self.live_check.toggled.connect(lambda _on: self._show_tables())
        self.reopen_button: QPushButton = push_button(
            self.tr("確定を取り消す…"), self.reopen_year,
            self.tr("確定を取り消し、この年度の数値を記録から数え直すようにします"))
        self.reopen_button.setVisible(self.ctx.is_secretariat)
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        self.changes_label.setStyleSheet(palette.colour(palette.CAUTION))
        self.changes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setStyleSheet(palette.colour(palette.MUTED))
        top = QHBoxLayout()
        top.addWidget(self.closed_label, 1)
        top.addWidget(self.live_check)
        top.addWidget(self.reopen_button)
        column = QVBoxLayout(banner)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.changes_label)
        column.addWidget(self.source_label)
        banner.hide()
        self.closed_banner = banner
        return banner

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
        """Open the records behind ``kpi``'s figure for ``org`` (None: 総合計); always the live
        records, also in a closed year."""
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

    # -- year close ------------------------------------------------------------------------------

    def close_year(self) -> CloseYearDialog | None:
        """Ask to fix the shown year's figures (the dialog shows them); None if there is nothing to fix."""
        if not self.ctx.is_secretariat or self.closure is not None or self.live_result is None:
            return None
        dialog = CloseYearDialog(self.ctx, self.fiscal_year(), self.live_result, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.closed.connect(self._after_close)
        dialog.open()
        return dialog

    def _after_close(self) -> None:
        self.bus.status_message.emit(self.tr("{fiscal_year}の数値を確定しました。").format(
            fiscal_year=fmt.fy_short(self.fiscal_year())))

    def reopen_year(self) -> bool:
        """Ask, then take back the shown year's close: its figures are counted from the records again."""
        if not self.ctx.is_secretariat or self.closure is None:
            return False
        fy = self.fiscal_year()
        year = fmt.fy_short(fy)
        if not ask(self, self.tr("確定の取り消し"),
                   self.tr("{fiscal_year}の確定を取り消しますか？\n"
                           "確定した数値は使われなくなり、この年度の数値は記録から数え直されます。"
                           "取り消しは次の全国配布パッケージで各フォーラムにも届きます。").format(fiscal_year=year),
                   self.tr("確定を取り消す"), self.tr("キャンセル")):
            return False
        ctx = self.ctx
        if ops.perform(self, lambda: closing.reopen_year(ctx, fy)) is None:
            return False
        self.bus.status_message.emit(self.tr("{fiscal_year}の確定を取り消しました。").format(fiscal_year=year))
        return True

    # -- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Tally the chosen year off the GUI thread (the official figures and the live ones)."""
        ctx = self.ctx
        self.close_button.setEnabled(False)
        self.subtitle.setText(self.tr("{fiscal_year}を集計しています…").format(fiscal_year=fmt.fy_label(self.fiscal_year())))
        self.read_year(lambda fy: official_and_live(ctx, fy), self.apply)

    def apply(self, results: tuple[dict[str, Any], dict[str, Any]]) -> None:
        """Show a year's ``(tally, live tally)`` (``services.tally.official_and_live``)."""
        self.result, self.live_result = results
        self.closure = closing.closure(self.result)
        self.differences = differences(self.result, self.live_result) if self.closure else []
        closed = self.closure is not None
        self.close_button.setEnabled(not closed)
        self.close_button.setToolTip(
            self.tr("この年度はすでに確定しています") if closed else self.tr("この年度の数値を公式の数値として確定します"))
        self._show_closure()
        self._show_tables()

    def closed_text(self) -> str:
        """「令和5年度は確定済みです（2025年5月30日 山田）」, or empty for an open year."""
        closure = self.closure
        if closure is None or self.result is None:
            return ""
        names = {"fiscal_year": fmt.fy_short(int(self.result["fiscal_year"])),
                 "date": fmt.date_label(closure.on), "by": closure.by}
        if closure.source == "published":
            return self.tr("{fiscal_year}は公表値で確定済みです（{date} {by}）").format(**names)
        return self.tr("{fiscal_year}は確定済みです（{date} {by}）").format(**names)

    def changes_text(self) -> str:
        """Which KPIs the records changed after closing, and by how much (empty: none)."""
        if not self.differences:
            return ""
        return self.tr("確定後に記録が変わりました: {changes}").format(
            changes=fmt.join(change_text(d) for d in self.differences))

    def _show_closure(self) -> None:
        closure = self.closure
        self.closed_banner.setVisible(closure is not None)
        if closure is None:
            self.live_check.setChecked(False)
            return
        self.closed_label.setText(self.closed_text())
        self.changes_label.setText(self.changes_text())
        self.changes_label.setVisible(bool(self.differences))
        self.live_check.setVisible(bool(self.differences) or closure.source == "published")
        if closure.source == "published":
            self.source_label.setText(self.tr(
                "公表値のない KPI と組織別の内訳は、記録から数えた数値です。"))
        else:
            self.source_label.setText("")
        self.source_label.setVisible(bool(self.source_label.text()))

    def showing_live(self) -> bool:
        """Whether the tables show the live figures of a closed year."""
        return self.closure is not None and self.live_check.isChecked()

    def _show_tables(self) -> None:
        result, live = self.result, self.live_result
        if result is None or live is None:
            return
        year = fmt.fy_label(int(result["fiscal_year"]))
        if self.closure is None:
            subtitle = self.tr("事務局｜{fiscal_year}の KPI 実績").format(fiscal_year=year)
        elif self.showing_live():
            subtitle = self.tr("事務局｜{fiscal_year}の KPI 実績（現在の記録）").format(fiscal_year=year)
        else:
            subtitle = self.tr("事務局｜{fiscal_year}の KPI 実績（確定値）").format(fiscal_year=year)
        self.subtitle.setText(subtitle)
        shown, other = (live, result) if self.showing_live() else (result, live)
        rows = official_table(shown)
        others = official_table(other) if self.closure is not None else []
        self.official_model.compare(rows, others, others_live=not self.showing_live())
        self.official_view.clearSpans()
        for number, row in enumerate(rows):
            if row.is_heading:
                self.official_view.setSpan(number, 0, 1, self.official_model.columnCount())
        self.official_fitter.fit()
        # A published year has no breakdown by org: the breakdown is the records'.
        published = self.closure is not None and self.closure.source == "published"
        columns, org_rows = by_org_table(live if published else shown)
        other_rows = by_org_table(other)[1] if self.closure is not None and not published else None
        self.by_org_model.load(columns, org_rows, other_rows, others_live=not self.showing_live())
        self.by_org_view.clearSpans()
        for number, org_row in enumerate(org_rows):
            if org_row.is_heading:
                self.by_org_view.setSpan(number, 0, 1, self.by_org_model.columnCount())
        self.by_org_fitter.fit()
        self.by_org_view.horizontalHeader().setFixedHeight(44)

    def _official_widths(self) -> list[ColumnWidth]:
        """項目 as wide as its longest name (up to ``NAME_MAXIMUM``, then cut with a tool tip); the
        figures whole; the rest to KPI内容説明 (cut, with its tool tip)."""
        view = self.official_view
        name = min(_natural(view, 0), NAME_MAXIMUM)
        figures = [ColumnWidth.whole(_natural(view, column)) for column in range(1, 5)]
        return [ColumnWidth.whole(name), *figures, ColumnWidth(300, max(header_width(view, 5), 80), main=True)]

    def _by_org_widths(self) -> list[ColumnWidth]:
        """Every KPI column whole (its two-line header decides); the organisations' names take the
        rest, cut (with the full name in the tool tip) where ten columns leave them little."""
        view = self.by_org_view
        name = _natural(view, 0)
        figures = [ColumnWidth.whole(_natural(view, column)) for column in range(1, view.model().columnCount())]
        return [ColumnWidth(name, min(name, max(header_width(view, 0), ORG_MINIMUM)), main=True), *figures]


NAME_MAXIMUM = 330
"""The widest the 項目 column gets (a longer name is cut, with a tool tip)."""
ORG_MINIMUM = 96
"""The narrowest the organisation column of the breakdown gets (names cut, with a tool tip)."""


def _natural(view: QTableView, column: int) -> int:
    """What ``column`` needs for its header and every cell whole."""
    return max(header_width(view, column), view.sizeHintForColumn(column))
