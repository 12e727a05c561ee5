"""List pages (活動・行事, ピッチイベント, 自治体ニーズ, シーズ, 実証実験, 自治体支援): filters, search, table, editing."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar, cast

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORG_CODES, REGIONAL_FORUMS
from jcim_desktop.domain.vocab import EVENT_STATUSES, EVENT_TYPES, FACILITY_TYPES, NEED_STATUSES
from jcim_desktop.errors import UserError
from jcim_desktop.services import copies, records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.table_model import Head, RecordTableModel, column_widths, optional_columns, read_head
from jcim_desktop.ui.widgets import boxes
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.columns import ColumnFitter
from jcim_desktop.ui.widgets.open_keys import open_on_keys

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

SEARCH_DEBOUNCE_MS = 150
READ_ONLY_TIP = QT_TRANSLATE_NOOP("ListPage", "他組織の記録は閲覧のみです")
DELETED_MESSAGE = QT_TRANSLATE_NOOP("ListPage", "削除しました（元に戻す: Ctrl+Z）")
"""Japanese sources: shown through ``translate("ListPage", …)``."""


class ListPage(Page):
    """One entity's list. Subclasses set the class attributes below; the rest is shared."""

    view: ClassVar[str] = "events"
    """The ``services.listing`` view shown."""
    entity: ClassVar[str] = "events"
    """The entity written through services and the record dialog."""
    record_label: ClassVar[str] = ""
    """What one record is called, when not the entity's name (a page title, context ``pages``)."""
    statuses: ClassVar[tuple[str, ...]] = ()
    """Status codes offered by the status filter (none: no filter)."""
    need_statuses: ClassVar[bool] = False
    """Whether ``statuses`` are a need's (受付 …) rather than an event's (予定 …)."""
    facility_filter: ClassVar[bool] = False
    region_filter: ClassVar[bool] = True
    current_year_by_default: ClassVar[bool] = True
    event_types: ClassVar[tuple[str, ...] | None] = None
    new_template: ClassVar[Mapping[str, Any] | None] = None
    org_filter: ClassVar[bool] = False
    """A filter by organisation (for events: the org's own and the ones it co-hosted)."""

    undo_changed = Signal()
    """What 削除を取り消す would bring back changed (``deleted_record``)."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self._last_deleted: tuple[str, str, str] | None = None
        """(id, name, the version the delete made): 元に戻す restores that version, not a colleague's later one."""
        self._keep_selected: str | None = None
        self._head: Head | None = None
        """The first screen read ahead (``prepare``), for the first refresh."""
        self._head_wanted = False
        self._head_generation = 0
        bus.changed.connect(self._forget_head)

        self.model = RecordTableModel(ctx, self.view, self)
        self._build_filters()
        self._build_table()
        self._build_buttons()

        layout = self.page_layout()
        # The count beside the title: the filter rows keep their width for the filters.
        item = layout.takeAt(0)
        title = item.widget() if item is not None else None
        assert title is not None
        title_row = boxes.row(title)
        title_row.addStretch(1)
        title_row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout.insertLayout(0, title_row)
        layout.addLayout(self._filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._button_bar)

        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.loaded.connect(self._restore_selection)
        self._update_buttons()

    # -- building ------------------------------------------------------------------------------

    def _combo(self, label: str, items: list[tuple[str, Any]], tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(tip)
        combo.setAccessibleName(label)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def _build_filters(self) -> None:
        # Two rows: what the records are (year, status, facility) with the count; where they are
        # and the search. One row does not fit a 1024-pixel window beside the sidebar in English.
        bar = QHBoxLayout()
        bar.setSpacing(6)
        region = QHBoxLayout()
        region.setSpacing(6)
        self._filter_bar = QVBoxLayout()
        self._filter_bar.setSpacing(6)
        self._filter_bar.addLayout(bar)
        self._filter_bar.addLayout(region)

        years = [(self.tr("すべての年度"), None)] + [(fmt.fy_short(fy), fy) for fy in fmt.fiscal_year_choices(back=6)]
        self.year_combo = self._combo(self.tr("年度"), years, self.tr("年度で絞り込みます"))
        if self.current_year_by_default:
            self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(fmt.current_fiscal_year())))
        bar.addWidget(QLabel(self.tr("年度")))
        bar.addWidget(self.year_combo)

        self.status_combo: QComboBox | None = None
        if self.statuses:
            label = labels.need_status if self.need_statuses else labels.event_status
            items = [(self.tr("すべての状況"), None)] + [(label(code), code) for code in self.statuses]
            self.status_combo = self._combo(self.tr("状況"), items, self.tr("状況で絞り込みます"))
            bar.addWidget(QLabel(self.tr("状況")))
            bar.addWidget(self.status_combo)

        self.facility_combo: QComboBox | None = None
        if self.facility_filter:
            items = [(self.tr("すべての施設種別"), None)] + [(labels.facility_type(code), code) for code in FACILITY_TYPES]
            self.facility_combo = self._combo(self.tr("施設種別"), items, self.tr("施設種別で絞り込みます"))
            bar.addWidget(QLabel(self.tr("施設種別")))
            bar.addWidget(self.facility_combo)

        self.org_combo: QComboBox | None = None
        if self.org_filter:
            self.org_combo = self._combo(self.tr("組織"), self._org_items(), self.tr(
                "組織で絞り込みます（その組織が主催した活動・行事と、共催した活動・行事）"))
            self.org_combo.insertSeparator(2)
            # Closed, the combo is as wide as 自組織（…）; the list opens wide enough for every name.
            self.org_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.org_combo.setMinimumContentsLength(1)
            metrics = self.org_combo.fontMetrics()
            self.org_combo.setMinimumWidth(
                max(metrics.horizontalAdvance(self.org_combo.itemText(i)) for i in range(2)) + 40)
            self.org_combo.view().setMinimumWidth(self.org_combo.view().sizeHintForColumn(0) + 24)
            bar.addWidget(QLabel(self.tr("組織")))
            bar.addWidget(self.org_combo)

        self.pref_combo: QComboBox | None = None
        self.city_combo: QComboBox | None = None
        if self.region_filter:
            self.pref_combo = self._combo(self.tr("都道府県"), self._prefecture_items(), self.tr("都道府県で絞り込みます"))
            own_block = self.ctx.org in REGIONAL_FORUMS and bool(self.ctx.registry.prefectures_of_block(self.ctx.org))
            if own_block:
                block_size = len(self.ctx.registry.prefectures_of_block(self.ctx.org))
                self.pref_combo.insertSeparator(1 + block_size)
            self.city_combo = self._combo(
                self.tr("市区町村"), [(self.tr("すべての市区町村"), None)], self.tr("市区町村で絞り込みます")
            )
            self.city_combo.setEnabled(False)
            self.city_combo.setMinimumWidth(self.city_combo.sizeHint().width())
            region.addWidget(QLabel(self.tr("都道府県")))
            region.addWidget(self.pref_combo)
            region.addWidget(self.city_combo)
            region.addSpacing(12)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("検索（かな・カナ・半角どれでも）"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self.search.setAccessibleName(self.tr("検索"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search.textChanged.connect(self._search_timer.start)
        region.addWidget(self.search, 1)
        bar.addStretch(1)

        self.count_label = QLabel("")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setMinimumWidth(90)

        # Connected once everything exists (setting the default year above must not query).
        for combo in (self.year_combo, self.status_combo, self.facility_combo, self.org_combo, self.city_combo):
            if combo is not None:
                combo.currentIndexChanged.connect(self._filters_changed)
        if self.pref_combo is not None:
            self.pref_combo.currentIndexChanged.connect(self._prefecture_changed)

    def _org_items(self) -> list[tuple[str, Any]]:
        # This installation's own org first, then every org (SYNC_FORMAT §1 order).
        own = self.ctx.org
        items: list[tuple[str, Any]] = [
            (self.tr("すべての組織"), None),
            (self.tr("自組織（{org}）").format(org=labels.org(own)), own),
        ]
        return items + [(labels.org(code), code) for code in ORG_CODES if code != own]

    def _prefecture_items(self) -> list[tuple[str, Any]]:
        registry = self.ctx.registry
        prefectures = registry.prefectures()
        # A forum sees its own block's prefectures first.
        first = registry.prefectures_of_block(self.ctx.org) if self.ctx.org in REGIONAL_FORUMS else []
        first_codes = {p.pref_code for p in first}
        ordered = first + [p for p in prefectures if p.pref_code not in first_codes]
        return [(self.tr("すべての都道府県"), None)] + [(labels.prefecture(p.pref_code), p.pref_code) for p in ordered]

    def _build_table(self) -> None:
        table = QTableView()
        table.setModel(self.model)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setCornerButtonEnabled(False)
        vertical = table.verticalHeader()
        vertical.hide()
        # Fixed heights and widths: sizing 100,000 rows to their contents costs a second.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        # The columns fit the table's width (no horizontal scroll bar): long texts are cut, with a
        # tool tip; dates, statuses and years never. 年度 shows when the list shows every year.
        self.column_fitter = ColumnFitter(table, lambda: column_widths(self.view, table), optional_columns(self.view))
        self._show_year_column(table)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        table.doubleClicked.connect(self._double_clicked)
        open_on_keys(table, self.open_selected)  # Enter and F2, as a double-click
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table = table

    def _show_year_column(self, table: QTableView) -> None:
        """年度 only when the list shows every year: with one year chosen it would repeat the filter."""
        keys = [c.key for c in self.model.columns]
        if "fy" in keys:
            table.setColumnHidden(keys.index("fy"), self.year_combo.currentData() is not None)

    def _build_buttons(self) -> None:
        bar = QHBoxLayout()
        self._button_bar = bar
        # The tool tips of 編集, 削除 and 元に戻す follow the selection (``_update_buttons``).
        self.new_button = push_button(self.tr("新規"), self.new_record,
                                      self.tr("{record}を新しく登録します（Ctrl+N）").format(record=self._label))
        self.edit_button = push_button(self.tr("編集"), self.edit_selected)
        self.duplicate_button = push_button(self.tr("複製"), self.duplicate_selected,
                                            self.tr("選んだ記録を写して新しく登録します（Ctrl+D）"))
        self.delete_button = push_button(self.tr("削除"), self.delete_selected)
        self.undo_button = push_button(self.tr("元に戻す"), self.undo_delete)
        for button in (self.new_button, self.edit_button, self.duplicate_button, self.delete_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.undo_button)

    @property
    def _label(self) -> str:
        return translate("pages", self.record_label) if self.record_label else labels.entity(self.entity)

    # -- querying ------------------------------------------------------------------------------

    def current_query(self) -> records.Query:
        def value(combo: QComboBox | None) -> Any:
            return combo.currentData() if combo is not None else None

        org = value(self.org_combo)
        return records.Query(
            fiscal_year=value(self.year_combo),
            status=value(self.status_combo),
            facility_type=value(self.facility_combo),
            pref_code=value(self.pref_combo),
            lg_code=value(self.city_combo),
            text=self.search.text(),
            event_types=self.event_types,
            owners=[org] if org else None,
        )

    def prepare(self) -> None:
        """Read the first screen ahead, off the GUI thread (the window calls this in an idle moment
        after the start, for a page not shown yet): the first showing then reads nothing more on
        the GUI thread than the rows below it. A change to the records meanwhile drops what was read."""
        if self._head_wanted or not self._stale:
            return
        self._head_wanted = True
        generation, ctx, view, query = self._head_generation, self.ctx, self.view, self.current_query()

        def read_ahead(_progress: ops.Progress) -> Head:
            return read_head(ctx, view, query)

        def ready(head: Head) -> None:
            if generation == self._head_generation:
                self._head = head

        ops.QueryOp(self, read_ahead, success=ready).run_in_background()

    def _forget_head(self, changes: Changes) -> None:
        if self.is_affected_by(changes):
            self._head, self._head_generation = None, self._head_generation + 1

    def refresh(self) -> None:
        self._search_timer.stop()
        self._show_year_column(self.table)
        self.column_fitter.fit()
        head, self._head = self._head, None
        self._head_generation += 1  # a read ahead still running comes too late
        self.model.set_query(self.current_query(), head)
        self._show_count()

    def _prefecture_changed(self) -> None:
        self._fill_cities()
        self._filters_changed()

    def _filters_changed(self) -> None:
        if self.isVisible():
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def _fill_cities(self) -> None:
        assert self.pref_combo is not None and self.city_combo is not None
        pref = self.pref_combo.currentData()
        self.city_combo.blockSignals(True)
        self.city_combo.clear()
        self.city_combo.addItem(self.tr("すべての市区町村"), None)
        if pref:
            for lg in self.ctx.registry.municipalities_of(pref):
                self.city_combo.addItem(lg.name, lg.lg_code)  # master data, as the register writes it
        self.city_combo.setEnabled(bool(pref))
        self.city_combo.blockSignals(False)

    def _show_count(self) -> None:
        # Past the first screen the number comes with the whole id list, a moment later.
        complete = self.model.is_complete()
        self.count_label.setText(fmt.count(self.model.rowCount()) if complete else self.tr("数えています…"))

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.is_sortable(column):
            # The model ignored it; put the arrow back where the order really is.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(False)
            self.bus.status_message.emit(
                self.tr("「{column}」の列では並べ替えできません").format(column=self.model.headers[column])
            )

    # -- selection -----------------------------------------------------------------------------

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def selected_id(self) -> str | None:
        return self.model.record_id(self.selected_row())

    def select_record(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _remember_selection(self) -> None:
        if self._keep_selected is None:
            self._keep_selected = self.selected_id()

    def _restore_selection(self) -> None:
        self._show_count()
        if self._keep_selected and self.select_record(self._keep_selected):
            self._keep_selected = None
        if self.model.is_complete():
            self._keep_selected = None
        self._update_buttons()

    def _selected_writable(self) -> tuple[str | None, bool]:
        row = self.selected_row()
        record_id = self.model.record_id(row)
        if record_id is None:
            return None, False
        owner = self.model.owner(row)
        return record_id, owner is not None and self.ctx.can_write(owner)

    def _update_buttons(self) -> None:
        record_id, writable = self._selected_writable()
        chosen = record_id is not None
        self.duplicate_button.setEnabled(chosen)
        read_only = translate("ListPage", READ_ONLY_TIP)
        for button, tip in (
            (self.edit_button, self.tr("選んだ記録を編集します（ダブルクリック、Ctrl+E）")),
            (self.delete_button, self.tr("選んだ記録を削除します（Delete）")),
        ):
            button.setEnabled(writable)
            button.setToolTip(read_only if chosen and not writable else tip)
        if self._last_deleted is not None:
            self.undo_button.setEnabled(True)
            self.undo_button.setToolTip(
                self.tr("削除した「{name}」を元に戻します（Ctrl+Z）").format(name=self._last_deleted[1])
            )
        else:
            self.undo_button.setEnabled(False)
            self.undo_button.setToolTip(self.tr("元に戻せる削除はありません"))
        self.undo_changed.emit()

    def deleted_record(self) -> str | None:
        """The name of the record 削除を取り消す would bring back (None: nothing deleted here)."""
        return self._last_deleted[1] if self._last_deleted is not None else None

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_selected()

    def _selected_name(self) -> str:
        return self.model.describe_row(self.selected_row())

    # -- editing hooks -------------------------------------------------------------------------

    def can_edit(self) -> bool:
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _open_dialog(self, record_id: str | None = None, template: Mapping[str, Any] | None = None) -> None:
        from jcim_desktop.ui.dialogs import open_record_dialog

        if record_id is None and template is None and self.new_template is not None:
            template = dict(self.new_template)
        # The dialog saves through ops, which announces the change (the page has reloaded by the
        # time it returns); here the saved record only gets selected.
        saved = open_record_dialog(self, self.ctx, self.entity, record_id=record_id, template=template, bus=self.bus)
        saved_id = getattr(saved, "id", None)
        if isinstance(saved_id, str) and not self.select_record(saved_id) and not self.model.is_complete():
            self._keep_selected = saved_id

    def new_record(self) -> None:
        self._open_dialog()

    def open_selected(self) -> None:
        """Open the selected record (double-click, Enter, F2): to edit, or to read another org's."""
        record_id = self.selected_id()
        if record_id is not None:
            self._open_dialog(record_id=record_id)

    def edit_selected(self) -> None:
        record_id, writable = self._selected_writable()
        if record_id is None:
            return
        if not writable:
            self.bus.status_message.emit(self.tr("他組織の記録は閲覧のみです。「複製」で自組織の記録として写せます。"))
            return
        self._open_dialog(record_id=record_id)

    def duplicate_selected(self) -> None:
        record_id = self.selected_id()
        if record_id is None:
            return
        # What a copy keeps and resets is the copies service's rule (a copy never counts twice).
        self._open_dialog(template=copies.copy_template(self.ctx, self.entity, record_id))

    def delete_selected(self) -> None:
        record_id, writable = self._selected_writable()
        if record_id is None:
            return
        if not writable:
            self.bus.status_message.emit(translate("ListPage", READ_ONLY_TIP))
            return
        # The version the person sees: read with the row (a change notice reads the rows again), and
        # taken before asking, so a colleague's save while the question is open is not deleted.
        shown = self.model.version(self.selected_row())
        assert shown is not None  # the row was read (its owner said it is writable)
        name = self._selected_name()
        answer = QMessageBox.question(
            self,
            self.tr("削除の確認"),
            self.tr("{record}「{name}」を削除しますか？\n\n削除した記録は「元に戻す」（Ctrl+Z）で戻せます。").format(
                record=self._label, name=name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx, entity = self.ctx, self.entity
        deleted = ops.perform(self, lambda: records.delete(ctx, entity, record_id, expected_hlc=shown),
                              failure=lambda error: self._refused(error, name, undoing=False))
        if deleted is None:
            return
        self._last_deleted = (record_id, name, deleted.hlc)
        self.bus.status_message.emit(translate("ListPage", DELETED_MESSAGE))
        self._update_buttons()

    def undo_delete(self) -> None:
        if self._last_deleted is None:
            self.bus.status_message.emit(self.tr("元に戻せる削除はありません"))
            return
        record_id, name, deleted_as = self._last_deleted
        ctx, entity = self.ctx, self.entity
        self._keep_selected = record_id  # the list reloads on the change notice: select it there
        restored = ops.perform(self, lambda: records.restore(ctx, entity, record_id, expected_hlc=deleted_as),
                               failure=lambda error: self._refused(error, name, undoing=True))
        if restored is None:
            self._keep_selected = None
            return
        self._last_deleted = None
        if self.select_record(record_id):
            self._keep_selected = None
        self.bus.status_message.emit(self.tr("「{name}」を元に戻しました").format(name=name))
        self._update_buttons()

    def _refused(self, error: UserError, name: str, *, undoing: bool) -> None:
        """A delete or undo that was not done. Someone changed the record after the list showed it
        (or after this delete): the list is read again, then the message says who and when."""
        if not isinstance(error, EditConflict):
            ops.show_error(self, error)
            return
        if undoing:
            self._last_deleted = None  # the version it would restore is gone: another try is refused too
        self.refresh()
        QMessageBox.warning(self, self.tr("ほかの人が先に変更しました"), self._conflict_text(error, name, undoing=undoing))
        self._update_buttons()

    def _conflict_text(self, conflict: EditConflict, name: str, *, undoing: bool) -> str:
        """「自治体ニーズ「…」は、一覧に表示された後に山田さんが変更しました（…）。削除していません。…」"""
        from jcim_desktop.ui.dialogs.edit_conflict import who  # loaded when it happens

        change, deleted = conflict.last_change, conflict.current.deleted
        record = self.tr("{record}「{name}」").format(record=self._label, name=name)
        when = fmt.datetime_label(change.at, seconds=False) if change.at is not None else self.tr("日時不明")
        if undoing:
            if change.received_from is not None:
                happened = self.tr("{record}は、あなたが削除した後に{org}から受け取った変更で更新されました（{when}）。")
            elif not deleted:
                happened = self.tr("{record}は、あなたが削除した後に{who}が元に戻しました（{when}）。")
            else:
                happened = self.tr("{record}は、あなたが削除した後に{who}が変更しました（{when}）。")
            outcome = (self.tr("元に戻していません。") if deleted else
                       self.tr("一覧を読み込み直しました。最新の内容を確かめてください。"))
        else:
            if change.received_from is not None:
                happened = self.tr("{record}は、一覧に表示された後に{org}から受け取った変更で更新されました（{when}）。")
            elif deleted:
                happened = self.tr("{record}は、一覧に表示された後に{who}が削除しました（{when}）。")
            else:
                happened = self.tr("{record}は、一覧に表示された後に{who}が変更しました（{when}）。")
            outcome = (self.tr("一覧を読み込み直しました。") if deleted else self.tr(
                "削除していません。一覧を最新の内容に読み込み直しました。確かめてから、削除する場合はもう一度「削除」を押してください。"))
        org = labels.org(change.received_from) if change.received_from is not None else ""
        return happened.format(record=record, org=org, who=who(self.ctx, change), when=when) + outcome


def _list_page(name: str, page_id: str, title: str, entity: str, **options: Any) -> type[ListPage]:
    """A list page declared as data. ``options`` set ListPage's class attributes; by default the
    page shows the listing view named after its entity and refreshes on changes to that entity."""
    attributes = {"page_id": page_id, "title": title, "entity": entity, "view": entity, "entities": (entity,),
                  **options}
    unknown = [key for key in attributes if not hasattr(ListPage, key)]
    assert not unknown, f"not a ListPage attribute: {unknown}"
    return cast("type[ListPage]", type(name, (ListPage,), {"__module__": __name__, "__qualname__": name, **attributes}))


# Titles as in main_window.PAGES (which lists them for translation, context ``pages``).
EventsPage = _list_page("EventsPage", "events", "活動・行事", "events", statuses=tuple(EVENT_STATUSES),
                        event_types=tuple(code for code in EVENT_TYPES if code != "pitch_event"), org_filter=True)
PitchEventsPage = _list_page("PitchEventsPage", "pitch_events", "ピッチイベント", "events", view="pitch_events",
                             entities=("events", "pitch_presentations"), statuses=tuple(EVENT_STATUSES),
                             record_label=QT_TRANSLATE_NOOP("pages", "ピッチイベント"),
                             new_template={"event_type": "pitch_event"}, org_filter=True)
NeedsPage = _list_page("NeedsPage", "needs", "自治体ニーズ", "needs", statuses=tuple(NEED_STATUSES),
                       need_statuses=True, facility_filter=True)
SeedsPage = _list_page("SeedsPage", "seeds", "シーズ（技術）", "seeds", facility_filter=True, region_filter=False,
                       current_year_by_default=False)
TrialsPage = _list_page("TrialsPage", "trials", "実証実験", "trials", statuses=tuple(EVENT_STATUSES))
SupportPage = _list_page("SupportPage", "support", "自治体支援", "support_activities")
