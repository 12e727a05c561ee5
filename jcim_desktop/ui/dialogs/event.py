"""活動・行事 (pitch events included): the entry dialog, with a pitch event's presentations.

Choosing a 種別 ticks 「フォーラム実施数（KPI）に数える」 as the domain says that type counts
(``kpi.counts_as_forum_default``, as Excel import and the demo data do), until the person sets
the box themselves; a stored event keeps the value it was saved with.

The tab bar stays in place whatever the 種別, so choosing ピッチイベント (which shows the
presentations' tab) does not move the form under the mouse; a pitch event saved from
活動・行事 (or the other way round) says in the status bar which list now shows it.

A title that reads as a field trial (``classification.reads_as_trial``: 実証, 試行, 現場試験) shows
a warning under it: an event does not count in 現場試行数. A stored event can be converted into
a trial (``ConvertToTrialDialog``, the KPI effect shown before confirming); a new one is entered
in the trial dialog instead, with what was typed carried over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from jcim_desktop.domain.classification import reads_as_trial, trial_from_event
from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.domain.kpi import counts_as_forum_default
from jcim_desktop.domain.vocab import EVENT_STATUSES, EVENT_TYPES
from jcim_desktop.errors import UserError
from jcim_desktop.services import conversion, events, records
from jcim_desktop.ui import labels, ops, palette
from jcim_desktop.ui.dialogs import base as dialog_base
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles
from jcim_desktop.ui.dialogs.convert_trial import ConvertToTrialDialog
from jcim_desktop.ui.fmt import current_fiscal_year
from jcim_desktop.ui.forms import child
from jcim_desktop.ui.widgets import boxes
from jcim_desktop.ui.widgets.municipality import MunicipalityListEdit
from jcim_desktop.ui.widgets.orgs import CoHostsEdit
from jcim_desktop.ui.widgets.record_link import RecordLinkEdit, label_of

PITCH = events.PITCH_EVENT
ID_ROLE = Qt.ItemDataRole.UserRole
PENDING_ROLE = Qt.ItemDataRole.UserRole + 1


def fiscal_year_of_event(data: dict[str, Any]) -> int | None:
    """The fiscal year a stored event or trial falls in (held date first, then the plan)."""
    planned = data.get("planned") or {}
    when = data.get("held_from") or planned.get("start")
    if not isinstance(when, str) or len(when) < 10:
        return None
    return fiscal_year_of(dt.date.fromisoformat(when[:10]))


class HeldDatesMixin:
    """実施日（開始〜終了）: shown when the status is 実施済 or dates were already entered."""

    error_label_names = {"held_from": "heldError", "held_to": "heldError"}

    def bind_held(self: Any) -> None:
        self.held_from_edit = self.bind_date("held_from")
        self.held_to_edit = self.bind_date("held_to")
        self.held_layout = child(self.form, QHBoxLayout, "heldLayout")

    def update_held_row(self: Any) -> None:
        visible = (
            self.fields["status"].get() == "held"
            or bool(self.held_from_edit.text().strip())
            or bool(self.held_to_edit.text().strip())
        )
        self.set_row_visible(self.held_layout, visible)


class EventDialog(HeldDatesMixin, RecordDialog):
    entity = "events"
    form_name = "event_dialog.ui"

    def build(self) -> None:
        self.title_edit = self.bind_line("title")
        self._build_trial_hint()
        self.type_combo = self.bind_combo("event_type", EVENT_TYPES, labels.event_type)
        self.bind_line("series_no")
        fy = fiscal_year_of_event(self.record.data) if self.record is not None else None
        self.planned = self.bind_planned("planned", "plannedHolder", fy or current_fiscal_year())
        self.status_combo = self.bind_combo("status", EVENT_STATUSES, labels.event_status)
        self.bind_held()
        self.bind_line("venue")
        self._build_co_hosts()
        municipalities = MunicipalityListEdit(self.ctx.registry)
        self.municipalities = self.bind_custom("lg_codes", "lgCodesHolder", municipalities, municipalities.codes,
                                               municipalities.set_codes)
        self.bind_line("participants")
        self.forum_check = self.bind_check("counts_as_forum")
        self.forum_set_by_person = False
        self.bind_text("description")
        self._build_presentations()
        self.type_combo.currentIndexChanged.connect(self._type_chosen)
        self.type_combo.currentIndexChanged.connect(self._update_sections)
        self.status_combo.currentIndexChanged.connect(self._update_sections)
        # clicked: only what the person does (not setChecked from here).
        self.forum_check.clicked.connect(self._forum_set_by_person)

    def _build_co_hosts(self) -> None:
        """共催 (SYNC_FORMAT §4 ``co_hosts``): a row just above 参加・支援した自治体, with its error row."""
        layout = child(self.form, QFormLayout, "formLayout")
        row = int(layout.getWidgetPosition(child(self.form, QLabel, "lgCodesLabel"))[0])  # type: ignore[index]
        label = QLabel(labels.field(self.entity, "co_hosts"))
        label.setObjectName("coHostsLabel")
        holder = QWidget()
        holder.setObjectName("coHostsHolder")
        error = QLabel()
        error.setObjectName("coHostsError")
        error.setStyleSheet("color: #c62828;")
        error.setWordWrap(True)
        error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.insertRow(row, label, holder)
        layout.insertRow(row + 1, "", error)
        edit = CoHostsEdit()
        label.setBuddy(edit.button)
        self.co_hosts = self.bind_custom("co_hosts", "coHostsHolder", edit, edit.value, edit.set_value)
        edit.set_owner(self.owner())
        self.owner_combo.currentIndexChanged.connect(lambda *_: edit.set_owner(self.owner()))

    def defaults(self) -> dict[str, Any]:
        return {"status": "planned", "lg_codes": [], "counts_as_forum": counts_as_forum_default(None),
                "planned": {"text": ""}}

    def tab_chain(self) -> list[QWidget]:
        """The tab bar, the fields (the title's 「実証実験として…」 button after the title), then the
        presentations' tab, then the buttons."""
        *fields, buttons = super().tab_chain()
        after_title = fields.index(self.title_edit) + 1
        fields.insert(after_title, self.trial_button)
        presentations = [self.table, self.seed_link, self.need_link, self.order_spin, self.note_edit,
                         self.remove_button, self.add_button_]
        return [self.tabs, *fields, *presentations, buttons]

    def record_name(self, record: records.Record) -> str:
        return str(record.data.get("title") or "")

    def saved_message(self, record: records.Record) -> str:
        """Which list shows the event now, when saving moved it from one to the other."""
        name = self.record_name(record)
        is_pitch = record.data.get("event_type") == PITCH
        if is_pitch and not self.opened_as_pitch:
            return self.tr("ピッチイベント「{name}」を保存しました。ピッチイベントの一覧に表示されます。").format(name=name)
        if not is_pitch and self.opened_as_pitch:
            return self.tr("活動・行事「{name}」を保存しました。活動・行事の一覧に表示されます。").format(name=name)
        if is_pitch:
            return self.tr("ピッチイベント「{name}」を保存しました").format(name=name)
        return self.tr("活動・行事「{name}」を保存しました").format(name=name)

    def titles(self) -> Titles:
        if self.fields["event_type"].get() == PITCH:
            return Titles(self.tr("ピッチイベントの新規登録"), self.tr("ピッチイベントの編集"),
                          self.tr("ピッチイベント（閲覧のみ）"))
        return Titles(self.tr("活動・行事の新規登録"), self.tr("活動・行事の編集"), self.tr("活動・行事（閲覧のみ）"))

    def after_load(self) -> None:
        # A stored event keeps its value; a duplicate or a restored draft keeps one that is not
        # the type's default (someone chose it).
        event_type = self.fields["event_type"].get()
        # Which list the event was in when the dialog opened (from 活動・行事 or ピッチイベント).
        self.opened_as_pitch = self._baseline["data"].get("event_type") == PITCH
        self.forum_set_by_person = (
            self.record is not None or self.forum_check.isChecked() != counts_as_forum_default(event_type)
        )
        self._update_sections()
        self._update_trial_hint()

    # -- a title that reads as a trial -------------------------------------------------------
    def _build_trial_hint(self) -> None:
        """The warning row just below the title's error row (hidden until the title reads as a trial)."""
        self.converted: conversion.Converted | None = None
        self._convert_after_save = False
        layout = child(self.form, QFormLayout, "formLayout")
        row = int(layout.getWidgetPosition(child(self.form, QLabel, "titleError"))[0]) + 1  # type: ignore[index]
        self.trial_hint_label = QLabel(
            self.tr("実証実験・現場試行のようです。実証実験として記録すると現場試行数に数えられます。"))
        self.trial_hint_label.setObjectName("trialHintLabel")
        self.trial_hint_label.setStyleSheet(palette.colour(palette.CAUTION))
        self.trial_hint_label.setWordWrap(True)
        self.trial_button = QPushButton()
        self.trial_button.setObjectName("trialButton")
        self.trial_button.clicked.connect(self.offer_trial)
        self.trial_hint = QWidget()
        self.trial_hint.setObjectName("trialHint")
        boxes.row((self.trial_hint_label, 1), self.trial_button, owner=self.trial_hint)
        layout.insertRow(row, "", self.trial_hint)
        self.set_row_visible(self.trial_hint, False)
        self.title_edit.textChanged.connect(self._update_trial_hint)

    def _update_trial_hint(self) -> None:
        if self.record is not None:
            self.trial_button.setText(self.tr("実証実験に変える…"))
            self.trial_button.setToolTip(self.tr("この活動・行事を削除し、同じ内容の実証実験として登録し直します"))
        else:
            self.trial_button.setText(self.tr("実証実験として入力する…"))
            self.trial_button.setToolTip(self.tr("入力した内容を引き継いで、実証実験の入力画面を開きます"))
        self.set_row_visible(self.trial_hint, not self.read_only and reads_as_trial(self.title_edit.text()))

    def offer_trial(self) -> None:
        """A new event: enter it as a trial instead. A stored one: convert it (its changes saved first)."""
        if self.record is None:
            self._enter_as_trial()
            return
        problem = conversion.refusal(self.ctx, self.record.id)
        if problem is not None:
            ops.show_error(self, UserError(problem))
            return
        if self.is_dirty():
            if not dialog_base.ask(self, self.tr("実証実験に変える"),
                                   self.tr("入力した変更を保存してから、実証実験に変えます。よろしいですか？"),
                                   self.tr("保存して続ける"), self.tr("入力に戻る")):
                return
            self._convert_after_save = True
            self.save()  # on success it calls accept(), which converts; otherwise the errors are shown
            self._convert_after_save = False
            return
        if self._convert_stored():
            self.discard_draft()
            super().accept()

    def accept(self) -> None:
        if self._convert_after_save:
            self._convert_after_save = False
            self._convert_stored()
        super().accept()

    def _convert_stored(self) -> bool:
        """Ask (with the KPI effect) and convert the stored event; True if it became a trial."""
        assert self.record is not None
        dialog = ConvertToTrialDialog(self.ctx, records.get(self.ctx, "events", self.record.id), self)
        dialog.exec()
        converted = dialog.converted
        dialog.deleteLater()
        if converted is None:
            return False
        self.converted = converted
        self.saved = None  # the event is a tombstone now; the trial is in converted
        return True

    def _enter_as_trial(self) -> None:
        """Open the trial dialog with what was typed; once the trial is saved this input is done."""
        from jcim_desktop.ui.dialogs.trial import TrialDialog  # trial.py builds on this module

        trial = TrialDialog(self.ctx, template=trial_from_event(self.data()), bus=self.bus, parent=self)
        trial.set_owner(self.owner())
        trial.exec()
        saved = trial.saved
        trial.deleteLater()
        if saved is None:
            return
        self.discard_draft()
        super().reject()  # nothing left to save or to ask about: the input is the trial now

    def _type_chosen(self) -> None:
        if self._loading or self.forum_set_by_person:
            return
        self.forum_check.setChecked(counts_as_forum_default(self.fields["event_type"].get()))

    def _forum_set_by_person(self) -> None:
        self.forum_set_by_person = True

    def _update_sections(self) -> None:
        self.update_held_row()
        self.update_title()
        is_pitch = self.fields["event_type"].get() == PITCH
        # Only the tab comes and goes: the bar keeps its place, so the form does not move.
        self.tabs.setTabVisible(self.tabs.indexOf(self.presentations_tab), is_pitch)

    # -- presentations -----------------------------------------------------------------------
    def _build_presentations(self) -> None:
        self.tabs = child(self.form, QTabWidget, "tabs")
        self.presentations_tab = child(self.form, QWidget, "presentationsTab")
        self.table = child(self.form, QTableWidget, "presentationsTable")
        columns = [self.tr("発表順"), self.tr("シーズ（技術）"), self.tr("自治体ニーズ"), self.tr("備考"), self.tr("登録")]
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((64, 0, 0, 120, 96)):
            if width:
                self.table.setColumnWidth(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.seed_link = RecordLinkEdit(self.ctx, "seeds")
        self.place("presentationSeedHolder", self.seed_link)
        self.need_link = RecordLinkEdit(self.ctx, "needs", placeholder=self.tr("任意。自治体名・テーマで検索"))
        self.place("presentationNeedHolder", self.need_link)
        self.order_spin = child(self.form, QSpinBox, "presentationOrderSpin")
        self.note_edit = child(self.form, QLineEdit, "presentationNoteEdit")
        self.add_button_ = child(self.form, QPushButton, "addPresentationButton")
        self.remove_button = child(self.form, QPushButton, "removePresentationButton")
        self.presentations_error = child(self.form, QLabel, "presentationsError")
        self.presentations_error.hide()
        self.add_button_.clicked.connect(self.add_pending_presentation)
        # 「シーズを選んでください」 goes as soon as one is chosen.
        self._asked_for_seed = False
        self.seed_link.changed.connect(self._seed_chosen)
        self.remove_button.clicked.connect(self.remove_selected_presentation)
        self.table.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.table.selectedItems()) and not self.read_only)
        )
        self.remove_button.setEnabled(False)
        self.existing: list[records.Record] = (
            events.presentations_of(self.ctx, self.record.id) if self.record is not None else []
        )
        self.pending: list[dict[str, Any]] = []
        self.removed: list[str] = []
        self._fill_table()
        self.order_spin.setValue(self._next_order())
        if self.read_only:
            for widget in (self.seed_link, self.need_link, self.order_spin, self.note_edit, self.add_button_):
                widget.setEnabled(False)

    def _next_order(self) -> int:
        orders = [r.data.get("order") or 0 for r in self.existing if r.id not in self.removed]
        orders += [p.get("order") or 0 for p in self.pending]
        return max(orders, default=0) + 1

    def _fill_table(self) -> None:
        rows: list[tuple[str, dict[str, Any], str]] = [
            (r.id, r.data, self.tr("登録済")) for r in self.existing if r.id not in self.removed
        ]
        rows += [("", p, self.tr("保存時に登録")) for p in self.pending]
        self.table.setRowCount(len(rows))
        for row, (record_id, data, state) in enumerate(rows):
            cells = (
                str(data.get("order") or ""),
                label_of(self.ctx, "seeds", data.get("seed_id")),
                label_of(self.ctx, "needs", data.get("need_id")),
                str(data.get("note") or ""),
                state,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setData(ID_ROLE, record_id)
                    item.setData(PENDING_ROLE, row - (len(rows) - len(self.pending)))
                self.table.setItem(row, column, item)

    def add_pending_presentation(self) -> None:
        seed_id = self.seed_link.record_id()
        if seed_id is None:
            self._presentation_message(self.tr("発表するシーズ（技術）を検索して一覧から選んでください。"))
            self._asked_for_seed = True
            return
        order = self.order_spin.value() or None
        note = self.note_edit.text().strip() or None
        self.pending.append({"seed_id": seed_id, "need_id": self.need_link.record_id(), "order": order, "note": note})
        self.seed_link.set_record_id(None)
        self.need_link.set_record_id(None)
        self.note_edit.clear()
        self._fill_table()
        self.order_spin.setValue(self._next_order())
        self._presentation_message("")
        self.on_change("presentations")

    def remove_selected_presentation(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            item = self.table.item(row, 0)
            if item is None:
                continue
            record_id = str(item.data(ID_ROLE) or "")
            if record_id:
                self.removed.append(record_id)
            else:
                pending_index = int(item.data(PENDING_ROLE))
                if 0 <= pending_index < len(self.pending):
                    del self.pending[pending_index]
        self._fill_table()
        self.on_change("presentations")

    def _seed_chosen(self) -> None:
        if self._asked_for_seed and self.seed_link.record_id() is not None:
            self._presentation_message("")

    def _presentation_message(self, text: str) -> None:
        self._asked_for_seed = False
        self.presentations_error.setText(text)
        self.presentations_error.setVisible(bool(text))

    def extra_state(self) -> dict[str, Any]:
        return {"added": [dict(p) for p in self.pending], "removed": list(self.removed)}

    def written_extra_state(self) -> dict[str, Any]:
        return {"added": [], "removed": []}

    def restore_extra(self, extra: dict[str, Any]) -> None:
        added = extra.get("added") or []
        removed = extra.get("removed") or []
        self.pending = [dict(p) for p in added if isinstance(p, dict) and p.get("seed_id")]
        self.removed = [str(r) for r in removed if isinstance(r, str)]
        self._fill_table()
        self.order_spin.setValue(self._next_order())

    def write(self, data: dict[str, Any]) -> events.EventSaved:
        """The event, then the presentations added and taken off (one operation).

        A stored event is saved against the version shown (``EditConflict`` if someone saved it
        since: nothing written, presentations included).
        """
        added, removed = [dict(p) for p in self.pending], list(self.removed)
        if self.record is None:
            return events.save_event(self.ctx, None, data, owner=self.owner(), added=added, removed=removed)
        return events.save_event(self.ctx, self.record.id, data, added=added, removed=removed,
                                 expected_hlc=self.started_from)

    def reload_record(self, record: records.Record) -> None:
        self.existing = events.presentations_of(self.ctx, record.id)
        super().reload_record(record)

    def saved_record(self, result: Any) -> records.Record:
        assert isinstance(result, events.EventSaved)
        return result.event

    def after_save(self, result: Any) -> bool:
        """Keep what could not be registered or removed, and say why."""
        assert isinstance(result, events.EventSaved)
        self.pending = [dict(p) for p in result.not_added]
        self.existing = events.presentations_of(self.ctx, result.event.id)
        self.removed = [r for r in result.not_removed if any(e.id == r for e in self.existing)]
        self._fill_table()
        self.order_spin.setValue(self._next_order())
        if result.complete:
            return True
        problems = list(result.problems)
        if result.not_pitch:
            problems.insert(0, self.tr("種別がピッチイベントではないため、発表は登録されていません。"))
        self._presentation_message(
            self.tr("行事は保存しましたが、次の発表は登録できませんでした。直して、もう一度「保存」を押してください。\n{problems}")
            .format(problems="\n".join(problems))
        )
        self.tabs.setCurrentWidget(self.presentations_tab)
        return False
