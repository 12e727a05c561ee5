"""「次の段階へ」: moving a matching on is one dialog: the stage, its date and a note.

The stages offered are the domain's answer (``domain.matching.allowed_next``): the next one is
chosen already, and 不成立・中止 is offered beside it. The date starts at today; a date before
the previous stage's is said under the field (and 「進める」 waits) until it is put right. The
move is the service's use case (``services.matchings.advance_stage``), run through ``ops`` (one
change notice: the board and the figures follow).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain import matching as rules
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.ui import fmt, labels, language, ops, palette
from jcim_desktop.ui.widgets import tab_order
from jcim_desktop.ui.widgets.record_link import record_label

translate = QCoreApplication.translate


def date_edit_format() -> str:
    """How a date field shows its date: 2024年10月1日 / Oct 1, 2024."""
    return "yyyy年M月d日" if language.current() == "ja" else "MMM d, yyyy"


def stage_date_problem(stages: Sequence[rules.Stage], on: dt.date) -> str | None:
    """Why ``on`` cannot be the date of the next stage (it is before the latest one), or None."""
    if not stages or on >= stages[-1].on:
        return None
    latest = stages[-1]
    return translate("StageDialog", "前の段階「{stage}」の日付（{date}）より前です。{date}以降の日付にしてください。").format(
        stage=labels.matching_stage(latest.stage), date=fmt.date_label(latest.on))


def move_refused_text(ctx: AppContext, conflict: EditConflict, *, on_board: bool) -> str:
    """Why a stage was not recorded: a colleague recorded a stage on the pairing, or deleted it,
    after it was shown (「このマッチングは、表示された後に佐藤さんが変更しました（…）。段階は記録していません。…」)."""
    from jcim_desktop.ui.dialogs.edit_conflict import who  # loaded when it happens

    change = conflict.last_change
    when = fmt.datetime_label(change.at, seconds=False) if change.at is not None else translate("StageDialog", "日時不明")
    if change.received_from is not None:
        happened = translate("StageDialog", "このマッチングは、表示された後に{org}から受け取った変更で更新されました（{when}）。")
    elif conflict.current.deleted:
        happened = translate("StageDialog", "このマッチングは、表示された後に{who}が削除しました（{when}）。")
    else:
        happened = translate("StageDialog", "このマッチングは、表示された後に{who}が変更しました（{when}）。")
    if conflict.current.deleted:
        outcome = translate("StageDialog", "段階は記録していません。")
    elif on_board:
        outcome = translate("StageDialog", "段階は記録していません。ボードを読み込み直しました。いまの段階を確かめてから、もう一度進めてください。")
    else:
        outcome = translate("StageDialog", "段階は記録していません。いまの段階を表示しました。確かめてから、もう一度選んでください。")
    org = labels.org(change.received_from) if change.received_from is not None else ""
    return happened.format(org=org, who=who(ctx, change), when=when) + outcome


def as_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class StageDialog(QDialog):
    """Moves the matching ``matching_id`` to a next stage; ``saved`` is the stored matching after
    「進める」 (None if nothing was written). ``stage`` pre-selects one of the stages allowed."""

    def __init__(self, ctx: AppContext, matching_id: str, parent: QWidget | None = None, *,
                 stage: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.matching_id = matching_id
        self.saved: records.Record | None = None
        record = records.get(ctx, "matchings", matching_id)
        self.stages = rules.parse_stages(record.data["stages"])
        self.started_from = record.hlc
        """The version shown: a colleague's move after it is refused, not written over."""
        self.setWindowTitle(self.tr("次の段階へ進める"))
        self.setMinimumWidth(520)

        pairing = QLabel(record_label(ctx, record))
        pairing.setObjectName("pairingLabel")
        pairing.setWordWrap(True)
        pairing.setStyleSheet("font-weight: bold;")
        self.current_label = current = QLabel()
        current.setObjectName("currentStageLabel")
        current.setStyleSheet(palette.colour(palette.MUTED))

        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stageCombo")
        self._show_stages(stage)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("stageDateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(date_edit_format())
        self.date_error = QLabel()
        self.date_error.setObjectName("stageDateError")
        self.date_error.setStyleSheet(palette.colour(palette.ERROR))
        self.date_error.setWordWrap(True)
        self.date_error.hide()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("stageNoteEdit")
        self.note_edit.setPlaceholderText(self.tr("任意（例: 第12回ピッチイベントで成立）"))
        self.error_label = QLabel()
        self.error_label.setObjectName("stageError")
        self.error_label.setStyleSheet(palette.colour(palette.ERROR))
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("段階"), self.stage_combo)
        form.addRow(self.tr("日付"), self.date_edit)
        form.addRow("", self.date_error)
        form.addRow(self.tr("メモ"), self.note_edit)

        self.buttons = QDialogButtonBox()
        self.advance_button: QPushButton = self.buttons.addButton(self.tr("進める"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton(self.tr("キャンセル"),
                                                                 QDialogButtonBox.ButtonRole.RejectRole)
        self.advance_button.setDefault(True)
        self.buttons.accepted.connect(self.advance)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(pairing)
        layout.addWidget(current)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        tab_order.chain(self.tab_chain())
        self.stage_combo.setFocus()

        self.stage_combo.currentIndexChanged.connect(lambda _index: self.check())
        self.date_edit.dateChanged.connect(lambda _date: self.check())
        self.note_edit.textChanged.connect(lambda _text: self._show_error(""))
        self.check()

    def _show_stages(self, wanted: str | None = None) -> None:
        """The current stage and the stages it may move to (``wanted`` chosen when offered)."""
        latest = self.stages[-1] if self.stages else None
        self.current_label.setText(self.tr("現在の段階: {stage}（{date}）").format(
            stage=labels.matching_stage(latest.stage), date=fmt.date_label(latest.on)) if latest else "")
        self.current_label.setVisible(latest is not None)
        self.stage_combo.clear()
        for code in rules.allowed_next(self.stages):
            self.stage_combo.addItem(labels.matching_stage(code), code)
        index = self.stage_combo.findData(wanted) if wanted else 0
        self.stage_combo.setCurrentIndex(max(index, 0) if self.stage_combo.count() else -1)

    def tab_chain(self) -> list[QWidget]:
        return [self.stage_combo, self.date_edit, self.note_edit, self.buttons]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return tab_order.move_focus(self.tab_chain(), next) or super().focusNextPrevChild(next)

    def stage(self) -> str | None:
        value = self.stage_combo.currentData()
        return str(value) if value is not None else None

    def on(self) -> dt.date:
        return as_date(self.date_edit.date())

    def check(self) -> str | None:
        """Say under the date what is wrong with it (nothing once it is right); 「進める」 waits."""
        self._show_error("")
        problem = stage_date_problem(self.stages, self.on())
        if (problem or "") != self.date_error.text():
            self.date_error.setText(problem or "")
            self.date_error.setVisible(problem is not None)
            if self.isVisible():
                self.adjustSize()  # the message's lines fit in (and the room goes with it)
        self.advance_button.setEnabled(problem is None and self.stage() is not None)
        return problem

    def advance(self) -> None:
        stage = self.stage()
        if stage is None or self.check() is not None:
            return
        ctx, matching_id, on = self.ctx, self.matching_id, self.on()
        note = self.note_edit.text().strip() or None
        shown = self.started_from
        saved = ops.perform(self, lambda: matchings.advance_stage(ctx, matching_id, stage, on, note, expected_hlc=shown),
                            failure=self._refused)
        if saved is None:
            return
        self.saved = saved
        self.accept()

    def _refused(self, error: UserError) -> None:
        if isinstance(error, EditConflict):
            # A colleague moved or changed the pairing while this was open: the dialog now shows
            # the stored stages (the person chooses again); a deleted pairing cannot be moved.
            self.started_from = error.current.hlc
            self.stages = rules.parse_stages(error.current.data["stages"])
            self._show_stages(self.stage())
            self.check()
            if error.current.deleted:
                self.stage_combo.setEnabled(False)
                self.advance_button.setEnabled(False)
            self._show_error(move_refused_text(self.ctx, error, on_board=False))
            return
        self._show_error("\n".join(error.errors.values()) if isinstance(error, ValidationError) else error.message)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
