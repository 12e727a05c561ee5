"""変更履歴: who changed which record, when, which fields, and from which package a received change
came (``services.audit``; the window's ``audit`` command).

The newest changes first, filtered by person, organisation (the record's owner or the package's
sender), kind of record and period; a double click, Enter or F2 opens the record. The list is read
off the GUI thread, and again after anything is written or imported.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORG_CODES
from jcim_desktop.services import audit
from jcim_desktop.services.audit import AuditRow
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import audit_text, fmt, labels, language, ops, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.rows_model import Column, RowsModel
from jcim_desktop.ui.widgets.columns import ColumnFitter, ColumnWidth, header_width, text_width
from jcim_desktop.ui.widgets.open_keys import open_on_keys

LIMIT = 1000
"""The newest entries shown; older ones are reached by narrowing the period or the other filters."""
PERIOD_DAYS = 30
"""The period a person starts from when they turn the period filter on: the last 30 days."""
WHEN, WHO, ACTION, KIND, RECORD, ORG, FIELDS, SOURCE = range(8)


def date_edit_format() -> str:
    """How a date field shows its date: 2024年10月1日 / Oct 1, 2024."""
    return "yyyy年M月d日" if language.current() == "ja" else "MMM d, yyyy"


class AuditModel(RowsModel[AuditRow]):
    """One entry a row: when, who, what was done to which record of which organisation, the fields
    changed (old → new in the tool tip) and where the change came from."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.ctx = ctx
        self.columns = [
            Column(self.tr("日時"), lambda r: r.at, text=audit_text.when),
            Column(self.tr("変更した人"), lambda r: r.by or "", text=audit_text.person, tooltip=audit_text.person),
            Column(self.tr("操作"), lambda r: r.action, text=audit_text.action, tooltip=audit_text.action_tip),
            Column(self.tr("種類"), lambda r: r.entity, text=lambda r: labels.entity(r.entity),
                   tooltip=lambda r: labels.entity(r.entity)),
            Column(self.tr("記録"), self.record_name, tooltip=self.record_name),
            Column(self.tr("組織"), lambda r: r.owner or "", text=lambda r: labels.org_short(r.owner),
                   tooltip=lambda r: labels.org(r.owner)),
            Column(self.tr("変更した項目"), self.fields, tooltip=self.changes_tip),
            Column(self.tr("受信元"), lambda r: r.sender_org or "", text=self.source, tooltip=self.source_tip),
        ]

    def record_name(self, row: AuditRow) -> str:
        if row.title:
            return row.title
        if row.lg_code:
            found = self.ctx.registry.get(row.lg_code)
            return found.full_name if found is not None else row.lg_code
        if row.fiscal_year:
            return fmt.fy_short(row.fiscal_year)
        if row.entity == "received_packages":  # an import, or its undoing: the package's sender
            return self.tr("{org}のパッケージ").format(org=labels.org(row.sender_org) if row.sender_org else "")
        if row.owner is None:
            return self.tr("（この端末にない記録）")
        return labels.entity(row.entity)

    def fields(self, row: AuditRow) -> str:
        return fmt.join([audit_text.field(row.entity, name) for name in audit_text.shown_changes(row)])

    def changes_tip(self, row: AuditRow) -> str:
        """The fields (the cell's whole text), then each one's old → new; a contact's values stay
        in the record's own 変更履歴 tab (this list spans every record and person)."""
        changes = [audit_text.change(self.ctx, row, name) for name in audit_text.shown_changes(row)
                   if not audit.hides(row.entity, name)]
        return "\n".join([self.fields(row), *changes]) if changes else ""

    def source(self, row: AuditRow) -> str:
        return audit_text.source(row, self.ctx)

    def source_tip(self, row: AuditRow) -> str:
        """The source (the cell's whole text), then the package's whole id and when it arrived."""
        return "\n".join(part for part in (audit_text.source(row, self.ctx), audit_text.source_tip(row)) if part)


class AuditPage(Page):
    page_id = "audit"
    title = QT_TRANSLATE_NOOP("pages", "変更履歴")

    loaded = Signal()
    """The log is shown as the filters say (after each read)."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self._generation = 0
        self.rows: list[AuditRow] = []
        self.count_label = QLabel()
        head = QHBoxLayout()
        head.addWidget(self.title_label())
        head.addStretch(1)
        head.addWidget(self.count_label)

        self.person_combo = self._combo(self.tr("変更した人"), [(self.tr("すべての人"), None)],
                                        self.tr("変更した人で絞り込みます"))
        self.org_combo = self._combo(self.tr("組織"), self._org_items(), self.tr(
            "組織で絞り込みます（その組織の記録の変更と、その組織から受信した変更）"))
        self.org_combo.insertSeparator(2)
        self.org_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.org_combo.setMinimumContentsLength(1)
        metrics = self.org_combo.fontMetrics()
        self.org_combo.setMinimumWidth(max(metrics.horizontalAdvance(self.org_combo.itemText(i)) for i in range(2)) + 40)
        self.org_combo.view().setMinimumWidth(self.org_combo.view().sizeHintForColumn(0) + 24)
        entities = [(self.tr("すべての種類"), None)] + [(labels.entity(e), e) for e in audit.audited_entities()]
        self.entity_combo = self._combo(self.tr("種類"), entities, self.tr("記録の種類で絞り込みます"))
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for text, combo in ((self.tr("変更した人"), self.person_combo), (self.tr("組織"), self.org_combo),
                            (self.tr("種類"), self.entity_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)

        today = QDate.currentDate()
        self.period_check = QCheckBox(self.tr("期間"))
        self.period_check.setToolTip(self.tr("変更した日で絞り込みます（受信した変更は、送り主が変更した日）"))
        self.from_edit = self._date_edit(today.addDays(-PERIOD_DAYS), self.tr("この日から"))
        self.to_edit = self._date_edit(today, self.tr("この日まで"))
        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(self.period_check)
        period.addWidget(self.from_edit)
        period.addWidget(QLabel(self.tr("～")))
        period.addWidget(self.to_edit)
        period.addStretch(1)
        self._period_enabled(False)

        self.model = AuditModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setCornerButtonEnabled(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setHighlightSections(False)
        self.fitter = ColumnFitter(self.table, self._widths)
        self.table.doubleClicked.connect(self._double_clicked)
        open_on_keys(self.table, self.open_selected)

        self.note = QLabel(self.tr("行をダブルクリックするか Enter で、その記録を開きます。変更前と変更後の値は、"
                                   "「変更した項目」にポインタを合わせると表示されます。"))
        self.note.setWordWrap(True)
        self.note.setStyleSheet(palette.colour(palette.MUTED))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addLayout(period)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

        for combo in (self.person_combo, self.org_combo, self.entity_combo):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.period_check.toggled.connect(self._period_toggled)
        self.from_edit.dateChanged.connect(lambda _date: self.refresh())
        self.to_edit.dateChanged.connect(lambda _date: self.refresh())

    # -- building ----------------------------------------------------------------------------------
    @staticmethod
    def _combo(name: str, items: list[tuple[str, Any]], tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(tip)
        combo.setAccessibleName(name)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def _org_items(self) -> list[tuple[str, Any]]:
        own = self.ctx.org
        return [(self.tr("すべての組織"), None), (self.tr("自組織（{org}）").format(org=labels.org(own)), own)] + [
            (labels.org(code), code) for code in ORG_CODES if code != own]

    @staticmethod
    def _date_edit(day: QDate, name: str) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_edit_format())
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setAccessibleName(name)
        edit.setToolTip(name)
        return edit

    def _widths(self) -> list[ColumnWidth]:
        view = self.table
        heads = [header_width(view, column) for column in range(len(self.model.columns))]
        sample = dt.datetime(2024, 12, 28, 23, 59, 59)
        when = max(heads[WHEN], text_width(view, [fmt.datetime_label(sample)]))
        return [
            ColumnWidth.whole(when),  # 日時: never cut
            ColumnWidth(100, max(heads[WHO], 56)),  # 変更した人
            # 操作: never cut
            ColumnWidth.whole(max(heads[ACTION], text_width(view, map(audit_text.action_word, audit.ACTIONS)))),
            ColumnWidth(110, max(heads[KIND], 56)),  # 種類
            ColumnWidth(180, max(heads[RECORD], 80), main=True),  # 記録
            ColumnWidth(90, max(heads[ORG], 48)),  # 組織 (short names)
            ColumnWidth(140, max(heads[FIELDS], 64)),  # 変更した項目
            ColumnWidth(140, max(heads[SOURCE], 56)),  # 受信元
        ]

    def _period_enabled(self, enabled: bool) -> None:
        self.from_edit.setEnabled(enabled)
        self.to_edit.setEnabled(enabled)

    def _period_toggled(self, on: bool) -> None:
        self._period_enabled(on)
        self.refresh()

    # -- what is shown -----------------------------------------------------------------------------
    def is_affected_by(self, changes: Changes) -> bool:
        # Every record written (here or by an import) adds to the log.
        return bool(changes.entities)

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.period_check.isChecked():
            return None, None
        first, last = self.from_edit.date(), self.to_edit.date()
        return (dt.date(first.year(), first.month(), first.day()), dt.date(last.year(), last.month(), last.day()))

    def refresh(self) -> None:
        """Read the log as the filters say off the GUI thread (a newer read replaces an older one)."""
        self._generation += 1
        generation = self._generation
        ctx = self.ctx
        person, org, entity = (self.person_combo.currentData(), self.org_combo.currentData(),
                               self.entity_combo.currentData())
        since, until = self.period()

        def read(_progress: Any) -> tuple[list[str], list[AuditRow]]:
            return audit.people(ctx), audit.audit(ctx, since=since, until=until, person=person, org=org,
                                                  entity=entity, limit=LIMIT)

        def show(result: tuple[list[str], list[AuditRow]]) -> None:
            if generation == self._generation:
                self.apply(*result)

        ops.QueryOp(self, read, success=show).run_in_background()

    def apply(self, people: list[str], rows: list[AuditRow]) -> None:
        self._fill_people(people)
        self.rows = rows
        self.model.set_rows(rows)
        n = len(rows)
        if n >= LIMIT:
            self.count_label.setText(self.tr("新しい {count} を表示").format(count=fmt.count(n)))
            self.count_label.setToolTip(self.tr("それより前の変更は、期間などで絞り込むと表示されます。"))
        else:
            self.count_label.setText(fmt.count(n))
            self.count_label.setToolTip("")
        self.loaded.emit()

    def _fill_people(self, people: list[str]) -> None:
        combo = self.person_combo
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(self.tr("すべての人"), None)
            for name in people:
                combo.addItem(name or self.tr("（不明）"), name)
            index = combo.findData(current) if current is not None else 0
            if index < 0:  # no longer in the log (cannot happen: the log only grows)
                combo.addItem(current or self.tr("（不明）"), current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        finally:
            combo.blockSignals(False)

    # -- opening a record --------------------------------------------------------------------------
    def selected_row(self) -> AuditRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.open_selected()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from jcim_desktop.ui.dialogs import DIALOGS, open_record_dialog

        if row.entity in DIALOGS and row.owner is not None:
            open_record_dialog(self, self.ctx, row.entity, row.record_id, bus=self.bus)
        else:
            self.bus.status_message.emit(self.tr("この種類の記録には入力画面がありません（{entity}）。").format(
                entity=labels.entity(row.entity)))
