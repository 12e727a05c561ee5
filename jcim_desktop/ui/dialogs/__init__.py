"""The entry dialogs (one per entity), opening them, and restoring unsaved input after a crash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from jcim_desktop.domain.entities import ENTITY_LABELS
from jcim_desktop.errors import NotFound, UserError
from jcim_desktop.services import drafts, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs.base import RecordDialog
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.dialogs.matching import MatchingDialog
from jcim_desktop.ui.dialogs.need import NeedDialog
from jcim_desktop.ui.dialogs.seed import SeedDialog
from jcim_desktop.ui.dialogs.support import SupportDialog
from jcim_desktop.ui.dialogs.trial import TrialDialog

DIALOGS: dict[str, type[RecordDialog]] = {
    "events": EventDialog,
    "needs": NeedDialog,
    "seeds": SeedDialog,
    "matchings": MatchingDialog,
    "trials": TrialDialog,
    "support_activities": SupportDialog,
}


def dialog_class(entity: str) -> type[RecordDialog]:
    try:
        return DIALOGS[entity]
    except KeyError:
        raise ValueError(f"no entry dialog for {entity!r}") from None


def make_dialog(
    parent: QWidget | None,
    ctx: AppContext,
    entity: str,
    record_id: str | None = None,
    template: Mapping[str, Any] | None = None,
    bus: ChangeBus | None = None,
    *,
    draft: drafts.Draft | None = None,
) -> RecordDialog:
    """The dialog, built but not shown (``NotFound`` if ``record_id`` is gone)."""
    return dialog_class(entity)(ctx, record_id=record_id, template=template, bus=bus, parent=parent, draft=draft)


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
        dialog = make_dialog(parent, ctx, entity, record_id, template, bus)
    except UserError as exc:
        QMessageBox.warning(parent, ENTITY_LABELS.get(entity, "記録"), exc.message)
        return None
    return _run(dialog)


def ask_restore(parent: QWidget | None, pending: list[drafts.Draft]) -> str:
    """「復元しますか？」: ``restore``, ``discard`` or ``later``."""
    lines = [f"・{ENTITY_LABELS.get(d.entity, d.entity)}（{'編集' if d.record_id else '新規'}、{d.saved_at[:16].replace('T', ' ')}）"
             for d in pending[:10]]
    if len(pending) > 10:
        lines.append(f"ほか {len(pending) - 10} 件")
    box = QMessageBox(QMessageBox.Icon.Question, "入力の復元",
                      f"前回保存されなかった入力が {len(pending)} 件あります。復元しますか？",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText("\n".join(lines) + "\n\n「あとで」を選ぶと、次に起動したときにもう一度お知らせします。")
    restore = box.addButton("復元する", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("破棄する", QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton("あとで", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(later)
    box.exec()
    clicked = box.clickedButton()
    return "restore" if clicked is restore else "discard" if clicked is discard else "later"


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
        try:
            dialog = make_dialog(parent, ctx, draft.entity, draft.record_id, bus=bus, draft=draft)
        except NotFound:
            QMessageBox.information(
                parent, "入力の復元",
                f"編集中だった{ENTITY_LABELS[draft.entity]}は削除されています。入力内容を新しい記録として開きます。",
            )
            dialog = make_dialog(parent, ctx, draft.entity, None, bus=bus, draft=draft)
        reopened += 1
        _run(dialog)
    return reopened


__all__ = [
    "DIALOGS",
    "EventDialog",
    "MatchingDialog",
    "NeedDialog",
    "RecordDialog",
    "SeedDialog",
    "SupportDialog",
    "TrialDialog",
    "dialog_class",
    "make_dialog",
    "open_record_dialog",
    "restore_drafts",
]
