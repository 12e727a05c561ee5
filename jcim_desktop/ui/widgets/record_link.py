"""Linking one record to another (a trial's matching, a matching's need, seed and pitch event).

An editable combo: typing searches the records (kana- and width-insensitive, through
``records.list_records``) and offers readable labels such as 「広島県福山市｜河川堤防の点検」; the
arrow lists the latest ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QSizePolicy, QWidget

from jcim_desktop.errors import NotFound
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt
from jcim_desktop.ui.widgets import boxes
from jcim_desktop.ui.widgets.municipality import lg_name

translate = QCoreApplication.translate
ID_ROLE = Qt.ItemDataRole.UserRole
LIMIT = 50
# How many of the latest needs, seeds and pairings a pairing search looks through.
MATCHING_SCAN = 2000
SEARCH_DELAY_MS = 200
_ROOT = QModelIndex()

def record_label(ctx: AppContext, rec: records.Record) -> str:
    """How a record is named where another one links to it (its own data; a held date through ``fmt``)."""
    data = rec.data
    if rec.entity == "needs":
        lg = ctx.registry.get(data.get("lg_code"))
        return f"{lg_name(lg) if lg else data.get('lg_code') or ''}｜{data.get('title') or ''}"
    if rec.entity == "seeds":
        return f"{data.get('company') or ''}｜{data.get('tech_name') or ''}"
    if rec.entity == "events":
        title = str(data.get("title") or "")
        if data.get("held_from"):
            return translate("RecordLinkEdit", "{title}（実施: {when}）").format(title=title, when=fmt.date_label(data["held_from"]))
        planned = str((data.get("planned") or {}).get("text") or "")
        return translate("RecordLinkEdit", "{title}（予定: {when}）").format(title=title, when=planned) if planned else title
    if rec.entity == "matchings":
        return f"{label_of(ctx, 'needs', data.get('need_id'))} × {label_of(ctx, 'seeds', data.get('seed_id'))}"
    if rec.entity == "pitch_presentations":
        return label_of(ctx, "seeds", data.get("seed_id"))
    return str(data.get("title") or rec.id)


def label_of(ctx: AppContext, entity: str, record_id: str | None) -> str:
    """The label of the record ``record_id``, or a note that it is not (yet) here."""
    if not record_id:
        return ""
    try:
        rec = records.get(ctx, entity, record_id, include_deleted=True)
    except NotFound:
        return translate("RecordLinkEdit", "（この端末にない記録）")
    label = record_label(ctx, rec)
    return translate("RecordLinkEdit", "{label}（削除済み）").format(label=label) if rec.deleted else label


class RecordChoiceModel(QAbstractListModel):
    """(id, label) pairs offered by a link field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str]] = []

    def set_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_id(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record_id, label = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return label
        if role == ID_ROLE:
            return record_id
        return None


class _Combo(QComboBox):
    """A combo that says when its list is about to open, so the list can be refreshed first."""

    popup_requested = Signal()

    def showPopup(self) -> None:
        self.popup_requested.emit()
        super().showPopup()


class RecordLinkEdit(QWidget):
    """Pick one record of ``entity``. ``record_id()`` is its id or None; ``changed`` when it changes."""

    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        entity: str,
        parent: QWidget | None = None,
        *,
        event_types: Sequence[str] | None = None,
        placeholder: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entity = entity
        self.event_types = list(event_types) if event_types else None
        self._record_id: str | None = None
        self._label = ""

        self.model = RecordChoiceModel(self)
        self.combo = _Combo(self)
        self.combo.setObjectName("recordLinkCombo")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setModel(self.model)
        self.combo.setCompleter(None)  # type: ignore[arg-type]
        self.combo.setMaxVisibleItems(15)
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        line = self.combo.lineEdit()
        assert line is not None  # editable
        self.line = line
        line.setPlaceholderText(placeholder or self._placeholder())
        line.setClearButtonEnabled(True)
        self.combo.setCurrentIndex(-1)

        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(line)
        self.completer.activated[QModelIndex].connect(  # type: ignore[index]
            lambda index: self._choose_row(index.row())
        )

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)

        boxes.row(self.combo, owner=self)
        self.setFocusProxy(self.combo)

        line.textEdited.connect(self._text_edited)
        self.combo.activated.connect(self._choose_row)
        self.combo.popup_requested.connect(self._fill_for_popup)

    def _placeholder(self) -> str:
        if self.entity == "needs":
            return self.tr("自治体名・テーマで検索して選ぶ")
        if self.entity == "seeds":
            return self.tr("企業名・技術名で検索して選ぶ")
        if self.entity == "events":
            return self.tr("行事名で検索して選ぶ")
        if self.entity == "matchings":
            return self.tr("ニーズ・シーズで検索して選ぶ")
        if self.entity == "trials":
            return self.tr("実証実験名で検索して選ぶ")
        return self.tr("検索して選ぶ")

    # -- public ----------------------------------------------------------------------------
    def record_id(self) -> str | None:
        return self._record_id

    def set_record_id(self, record_id: str | None) -> None:
        label = label_of(self.ctx, self.entity, record_id) if record_id else ""
        self._show(record_id or None, label)

    def text(self) -> str:
        return self.line.text()

    def search(self, text: str) -> list[str]:
        """Run the search for ``text`` now (what typing does after a pause); returns the labels offered."""
        self.line.setText(text)
        self._text_edited(text)
        self._search_timer.stop()
        self._search_now(show_popup=False)
        return [label for _, label in self._rows()]

    def choose(self, row: int) -> None:
        """Pick the ``row``-th offered record."""
        self._choose_row(row)

    # -- internals -------------------------------------------------------------------------
    def _rows(self) -> list[tuple[str, str]]:
        return [(self.model.row_id(r) or "", self.model.data(self.model.index(r))) for r in range(self.model.rowCount())]

    def _query(self, text: str) -> list[tuple[str, str]]:
        if self.entity == "matchings" and text:
            return self._matchings_of(text)
        query = records.Query(text=text, limit=LIMIT, event_types=self.event_types)
        return [(r.id, record_label(self.ctx, r)) for r in records.list_records(self.ctx, self.entity, query)]

    def _matchings_of(self, text: str) -> list[tuple[str, str]]:
        # A pairing has no text of its own: find it through the needs and seeds it joins.
        found = {
            entity: {r.id: record_label(self.ctx, r) for r in records.list_records(
                self.ctx, entity, records.Query(text=text, limit=MATCHING_SCAN))}
            for entity in ("needs", "seeds")
        }
        rows: list[tuple[str, str]] = []
        for rec in records.list_records(self.ctx, "matchings", records.Query(limit=MATCHING_SCAN)):
            need_id, seed_id = str(rec.data.get("need_id") or ""), str(rec.data.get("seed_id") or "")
            if need_id in found["needs"] or seed_id in found["seeds"]:
                need = found["needs"].get(need_id) or label_of(self.ctx, "needs", need_id)
                seed = found["seeds"].get(seed_id) or label_of(self.ctx, "seeds", seed_id)
                rows.append((rec.id, f"{need} × {seed}"))
                if len(rows) >= LIMIT:
                    break
        return rows

    def _set_model(self, rows: list[tuple[str, str]]) -> None:
        # Resetting the combo's model would clear what is being typed: keep it.
        line = self.line
        text, cursor = line.text(), line.cursorPosition()
        self.combo.blockSignals(True)
        self.model.set_rows(rows)
        self.combo.setCurrentIndex(-1)
        self.combo.blockSignals(False)
        line.setText(text)
        line.setCursorPosition(cursor)

    def _text_edited(self, text: str) -> None:
        if self._record_id is not None and text != self._label:
            self._record_id = None
            self._label = ""
            self.changed.emit()
        self._search_timer.start()

    def _search_now(self, show_popup: bool = True) -> None:
        text = self.line.text().strip()
        self._set_model(self._query(text))
        if show_popup and text and self.model.rowCount() and self.line.hasFocus():
            self.completer.complete()

    def _fill_for_popup(self) -> None:
        text = self.line.text().strip()
        self._set_model(self._query("" if text == self._label else text))

    def _choose_row(self, row: int) -> None:
        record_id = self.model.row_id(row)
        if record_id is None:
            return
        label = str(self.model.data(self.model.index(row)))
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self._show(record_id, label)

    def _show(self, record_id: str | None, label: str) -> None:
        self._label = label
        line = self.line
        line.setText(label)
        line.setCursorPosition(0)
        line.setToolTip(label)
        if record_id != self._record_id:
            self._record_id = record_id
            self.changed.emit()
