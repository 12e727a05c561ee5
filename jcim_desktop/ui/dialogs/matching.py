"""マッチング: a need paired with a seed (and the pitch event where they met), and its stage history.

Which stage may come next is the domain's answer (``domain.matching.allowed_next``); moving a
pairing on is the service's use case (``services.matchings.advance_stage``), recorded at once.
A date before the previous stage's is said under the row as soon as it is chosen, and the
message goes once the date is right (the same check as the board's 「次の段階へ」 dialog).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from jcim_desktop.domain import matching as rules
from jcim_desktop.domain.fiscal import parse_era_date
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import matchings, records
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles
from jcim_desktop.ui.dialogs.stage import as_date, date_edit_format, move_refused_text, stage_date_problem
from jcim_desktop.ui.forms import child
from jcim_desktop.ui.widgets.record_link import RecordLinkEdit, record_label


class MatchingDialog(RecordDialog):
    entity = "matchings"
    form_name = "matching_dialog.ui"

    def build(self) -> None:
        self.links: dict[str, RecordLinkEdit] = {}
        self._link("need_id", "needIdHolder", RecordLinkEdit(self.ctx, "needs"))
        self._link("seed_id", "seedIdHolder", RecordLinkEdit(self.ctx, "seeds"))
        self._link("pitch_event_id", "pitchEventIdHolder",
                   RecordLinkEdit(self.ctx, "events", event_types=["pitch_event"],
                                  placeholder=self.tr("ピッチイベント名で検索して選ぶ（任意）")))

        self.table = child(self.form, QTableWidget, "stagesTable")
        columns = [self.tr("日付"), self.tr("段階"), self.tr("メモ")]
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setColumnWidth(0, 190)
        self.table.setColumnWidth(1, 150)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.new_stage_layout = child(self.form, QFormLayout, "newStageLayout")
        self.considered_on = child(self.form, QLineEdit, "consideredOnEdit")
        self.considered_note = child(self.form, QLineEdit, "consideredNoteEdit")
        self.advance_layout = child(self.form, QHBoxLayout, "advanceLayout")
        self.next_stage = child(self.form, QComboBox, "nextStageCombo")
        self.next_date = child(self.form, QDateEdit, "nextStageDateEdit")
        self.next_note = child(self.form, QLineEdit, "nextStageNoteEdit")
        self.advance_button = child(self.form, QPushButton, "advanceButton")
        self.stages_error = child(self.form, QLabel, "stagesError")
        self.next_date.setDate(QDate.currentDate())
        self.next_date.setDisplayFormat(date_edit_format())
        self.next_date.setCalendarPopup(True)
        self.next_stage.setMinimumContentsLength(8)
        self.advance_button.clicked.connect(self.advance)
        self.next_date.dateChanged.connect(lambda _date: self._check_next_date())
        self.next_stage.currentIndexChanged.connect(lambda _index: self._check_next_date())

        self._stages: list[dict[str, Any]] = []
        self._stages_from: str | None = None
        """The version the stage table was read from: a stage is recorded on it (``advance``)."""
        self.bind("stages", self._get_stages, self._set_stages,
                  [self.considered_on.textChanged, self.considered_note.textChanged],
                  [self.considered_on, self.considered_note])

    def _link(self, name: str, holder: str, edit: RecordLinkEdit) -> None:
        self.place(holder, edit)
        self.links[name] = edit
        self.bind(name, edit.record_id, edit.set_record_id, [edit.changed], [edit])

    def defaults(self) -> dict[str, Any]:
        return {"stages": [{"stage": "considered", "on": dt.date.today().isoformat()}]}

    def titles(self) -> Titles:
        return Titles(self.tr("マッチングの新規登録"), self.tr("マッチングの編集"), self.tr("マッチング（閲覧のみ）"))

    def tab_chain(self) -> list[QWidget]:
        *fields, buttons = super().tab_chain()
        return [*fields, self.next_stage, self.next_date, self.next_note, self.advance_button, buttons]

    def record_name(self, record: records.Record) -> str:
        return record_label(self.ctx, record)

    def saved_message(self, record: records.Record) -> str:
        return self.tr("マッチング「{name}」を保存しました").format(name=self.record_name(record))

    # -- stages --------------------------------------------------------------------------------
    def _get_stages(self) -> list[dict[str, Any]]:
        if self.record is not None:
            return [dict(s) for s in self._stages]
        # A new pairing starts at マッチング検討 on the day entered.
        text = self.considered_on.text().strip()
        try:
            on: str = parse_era_date(text).isoformat() if text else ""
        except ValueError:
            on = text
        stage: dict[str, Any] = {"stage": "considered", "on": on or None}
        if self.considered_note.text().strip():
            stage["note"] = self.considered_note.text().strip()
        return [stage]

    def _set_stages(self, value: Any) -> None:
        self._stages = [dict(s) for s in value] if isinstance(value, list) else []
        if self.record is None and self._stages:
            first = self._stages[0]
            self.considered_on.setText(str(first.get("on") or ""))
            self.considered_note.setText(str(first.get("note") or ""))
        self._refresh_stages()

    def after_load(self) -> None:
        existing = self.record is not None
        self._stages_from = self.record.hlc if self.record is not None else None
        self.table.setVisible(existing)
        for widget in (self.next_stage, self.next_date, self.next_note, self.advance_button,
                       child(self.form, QLabel, "nextStageLabel"), child(self.form, QLabel, "nextStageDateLabel")):
            widget.setVisible(existing)
        for row in range(self.new_stage_layout.rowCount()):
            self.new_stage_layout.setRowVisible(row, not existing)
        self._refresh_stages()

    def _refresh_stages(self) -> None:
        stages = self._stages if self.record is not None else []
        self.table.setRowCount(len(stages))
        for row, stage in enumerate(stages):
            on = str(stage.get("on") or "")
            try:
                shown = fmt.date_label(on)
            except ValueError:  # a date the record holds as written
                shown = on
            cells = (shown, labels.matching_stage(str(stage.get("stage"))), str(stage.get("note") or ""))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.next_stage.clear()
        try:
            allowed = rules.allowed_next(rules.parse_stages(stages)) if self.record is not None else []
        except ValueError:
            allowed = []
        for code in allowed:
            self.next_stage.addItem(labels.matching_stage(code), code)
        can_advance = bool(allowed) and not self.read_only
        self.next_stage.setEnabled(can_advance)
        self.advance_button.setEnabled(can_advance)
        if self.record is not None and not allowed:
            self.next_stage.setPlaceholderText(self.tr("これ以上進める段階はありません"))
            self.next_stage.setCurrentIndex(-1)
        self._check_next_date()

    def _check_next_date(self) -> None:
        """A date before the latest stage's is said at once; the message goes once it is right."""
        if self.record is None or self.next_stage.currentData() is None:
            return
        try:
            stages = rules.parse_stages(self._stages)
        except ValueError:
            return
        problem = stage_date_problem(stages, as_date(self.next_date.date()))
        self._stage_message(problem or "")
        self.advance_button.setEnabled(problem is None and not self.read_only)

    def advance(self) -> None:
        """Record the chosen next stage now, with its date (a use case of its own)."""
        if self.record is None or self.next_stage.currentData() is None:
            return
        stage = str(self.next_stage.currentData())
        on = as_date(self.next_date.date())
        matching_id, note = self.record.id, self.next_note.text().strip() or None
        shown = self._stages_from
        updated = ops.perform(self, lambda: matchings.advance_stage(self.ctx, matching_id, stage, on, note,
                                                                    expected_hlc=shown),
                              failure=self._advance_failed)
        if updated is None:
            return
        # The form's other fields start from the version they were loaded from (``self.record``
        # keeps its data, with the stages recorded since): only when nobody changed them meanwhile
        # does the form start from the stage's new version; else the next 保存 shows the
        # colleague's change instead of writing the form's old values over it.
        others = {k: v for k, v in self.record.data.items() if k != "stages"}
        if {k: v for k, v in updated.data.items() if k != "stages"} == others:
            self.started_from = updated.hlc
        self._show_stored_stages(updated)
        self.next_note.clear()
        self._stage_message("")
        self._refresh_stages()
        self.validate_now()

    def _show_stored_stages(self, stored: records.Record) -> None:
        """The stages as ``stored`` holds them (the form's other fields keep what was loaded)."""
        assert self.record is not None
        self.record = replace(self.record, data={**self.record.data, "stages": stored.data["stages"]})
        self._stages = [dict(s) for s in stored.data["stages"]]
        self._stages_from = stored.hlc
        self.mark_saved_part("stages", self._stages)

    def _advance_failed(self, error: UserError) -> None:
        if isinstance(error, EditConflict):
            # A colleague recorded a stage (or deleted the pairing) since the table was read: it
            # now shows the stored stages, and the person chooses the next one again.
            if not error.current.deleted:
                self._show_stored_stages(error.current)
                self._refresh_stages()
            self._stage_message(move_refused_text(self.ctx, error, on_board=False))
        elif isinstance(error, ValidationError):
            self._stage_message("\n".join(error.errors.values()))
        else:
            self._stage_message(error.message)

    def _stage_message(self, text: str) -> None:
        self.stages_error.setText(text)
        self.stages_error.setVisible(bool(text))
