"""The entry dialogs (one per entity), opening them, and restoring unsaved input after a crash."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from jcim_desktop.errors import NotFound, UserError
from jcim_desktop.services import drafts, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs.base import RecordDialog
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.dialogs.matching import MatchingDialog
from jcim_desktop.ui.dialogs.need import NeedDialog
from jcim_desktop.ui.dialogs.seed import SeedDialog
from jcim_desktop.ui.dialogs.support import SupportDialog
from jcim_desktop.ui.dialogs.trial import TrialDialog

translate = QCoreApplication.translate

DIALOGS: dict[str, type[RecordDialog]] = {
    "events": EventDialog,
    "needs": NeedDialog,
    "seeds": SeedDialog,
    "matchings": MatchingDialog,
    "trials": TrialDialog,
    "support_activities": SupportDialog,
}


def dialog_class(entity: str) -> type[RecordDialog]:
    """The entry dialog of ``entity``; constructing it loads ``record_id`` (``NotFound`` if it is gone)."""
    try:
        return DIALOGS[entity]
    except KeyError:
        raise ValueError(f"no entry dialog for {entity!r}") from None


def _run(dialog: RecordDialog) -> records.Record | None:
    dialog.exec()
    saved = dialog.saved
    dialog.deleteLater()
    return saved


def open_record_dialog(
    parent: QWidget | None,
    ctx: AppContext,
    entity: str,
    record_id: str | None = None,
    template: Mapping[str, Any] | None = None,
    bus: ChangeBus | None = None,
) -> records.Record | None:
    """Open the entry dialog of ``entity`` modally: a new record, ``record_id`` to edit, or
    ``template`` (a data dict) to start a new one prefilled (a duplicate). Returns the saved
    record, or None if nothing was saved."""
    try:
        dialog = dialog_class(entity)(ctx, record_id=record_id, template=template, bus=bus, parent=parent)
    except UserError as exc:  # the record is gone (deleted meanwhile, or never here)
        ops.show_error(parent, exc)
        return None
    return _run(dialog)


class RestoreQuestion(QMessageBox):
    """「復元しますか？」 about the input left unsaved last time (each draft: what, new or edited, when)."""

    def __init__(self, pending: list[drafts.Draft], parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.NoButton, parent)
        self.setWindowTitle(self.tr("入力の復元"))
        self.setText(self.tr("前回保存されなかった入力が %n 件あります。復元しますか？", "", len(pending)))
        lines = [self._line(d) for d in pending[:10]]
        if len(pending) > 10:
            lines.append(self.tr("ほか %n 件", "", len(pending) - 10))
        self.setInformativeText(
            self.tr("{drafts}\n\n「あとで」を選ぶと、次に起動したときにもう一度お知らせします。").format(drafts="\n".join(lines))
        )
        self.restore_button = self.addButton(self.tr("復元する"), QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = self.addButton(self.tr("破棄する"), QMessageBox.ButtonRole.DestructiveRole)
        self.later_button = self.addButton(self.tr("あとで"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button)
        self.setEscapeButton(self.later_button)

    def _line(self, draft: drafts.Draft) -> str:
        entity = labels.entity(draft.entity)
        try:
            when = fmt.datetime_label(dt.datetime.fromisoformat(draft.saved_at))
        except ValueError:
            when = draft.saved_at
        if draft.record_id:
            return self.tr("・{entity}（編集、{when}）").format(entity=entity, when=when)
        return self.tr("・{entity}（新規、{when}）").format(entity=entity, when=when)

    def choice(self) -> str:
        clicked = self.clickedButton()
        if clicked is self.restore_button:
            return "restore"
        return "discard" if clicked is self.discard_button else "later"


def ask_restore(parent: QWidget | None, pending: list[drafts.Draft]) -> str:
    """「復元しますか？」: ``restore``, ``discard`` or ``later``."""
    box = RestoreQuestion(pending, parent)
    box.exec()
    return box.choice()


def restore_drafts(parent: QWidget | None, ctx: AppContext, bus: ChangeBus | None = None) -> int:
    """Offer the input left unsaved last time and reopen each dialog prefilled; returns how many were reopened."""
    pending = [d for d in drafts.pending_drafts(ctx) if d.entity in DIALOGS]
    if not pending:
        return 0
    choice = ask_restore(parent, pending)
    if choice == "discard":
        for draft in pending:
            drafts.discard_draft(ctx, draft.key)
        return 0
    if choice != "restore":
        return 0
    reopened = 0
    for draft in pending:
        dialog_type = dialog_class(draft.entity)
        try:
            dialog = dialog_type(ctx, draft.record_id, bus=bus, parent=parent, draft=draft)
        except NotFound:
            QMessageBox.information(
                parent, translate("RestoreQuestion", "入力の復元"),
                translate("RestoreQuestion", "編集中だった記録（{entity}）は削除されています。入力内容を新しい記録として開きます。")
                .format(entity=labels.entity(draft.entity)),
            )
            dialog = dialog_type(ctx, bus=bus, parent=parent, draft=draft)
        reopened += 1
        _run(dialog)
    return reopened


__all__ = [
    "DIALOGS",
    "EventDialog",
    "MatchingDialog",
    "NeedDialog",
    "RecordDialog",
    "RestoreQuestion",
    "SeedDialog",
    "SupportDialog",
    "TrialDialog",
    "dialog_class",
    "open_record_dialog",
    "restore_drafts",
]
