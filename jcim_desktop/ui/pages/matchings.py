"""マッチング: the pipeline 検討 → 成立 → 現場試行 → 社会実装 (and 不成立) as columns with counts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.matching import STAGE_LABELS
from jcim_desktop.domain.orgs import org_name
from jcim_desktop.errors import UserError
from jcim_desktop.services import matchings as matching_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import current_fiscal_year, date_label, fiscal_year_choices, fy_label
from jcim_desktop.ui.page import Page

COLUMN_COLOURS = {
    "considered": "#5b8def",
    "established": "#2e9d6a",
    "trial": "#e39b2d",
    "implemented": "#7a4fc9",
    "dropped": "#8a8f98",
}


class CardWidget(QFrame):
    """One pairing on the board: need, seed, date; click to select, double-click to edit."""

    def __init__(self, card: matching_service.Card, text: str, column: "CardColumn") -> None:
        super().__init__()
        self.card = card
        self.column = column
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)
        if not card.writable:
            self.setToolTip("他組織の記録は閲覧のみです")
        self.set_selected(False)

    def text(self) -> str:
        return self.label.text()

    def set_selected(self, selected: bool) -> None:
        border = "2px solid #2f6db5" if selected else "1px solid #d5dbe3"
        self.setStyleSheet(f"QFrame#card {{ background: white; border: {border}; border-radius: 5px; }}")
        self.selected = selected

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.column.page.select_card(self.card.id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.column.page.select_card(self.card.id)
        self.column.page.edit_selected()


class CardColumn(QScrollArea):
    """A pipeline column: cards stacked top to bottom, scrolling vertically only."""

    def __init__(self, page: "MatchingsPage") -> None:
        super().__init__()
        self.page = page
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QScrollArea { background: transparent; }")
        self.inner = QWidget()
        self.inner.setStyleSheet("background: transparent;")
        self.box = QVBoxLayout(self.inner)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(6)
        self.box.addStretch(1)
        self.setWidget(self.inner)
        self.cards: list[CardWidget] = []

    def clear(self) -> None:
        for widget in self.cards:
            self.box.removeWidget(widget)
            widget.deleteLater()
        self.cards = []

    def add(self, card: matching_service.Card, text: str) -> CardWidget:
        widget = CardWidget(card, text, self)
        self.box.insertWidget(self.box.count() - 1, widget)
        self.cards.append(widget)
        return widget

    def count(self) -> int:
        return len(self.cards)

    def item(self, row: int) -> CardWidget:
        return self.cards[row]

    def setCurrentRow(self, row: int) -> None:
        self.page.select_card(self.cards[row].card.id)


class StageDialog(QDialog):
    """Ask the date (and an optional note) of moving a pairing to a stage."""

    def __init__(self, stage_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"「{stage_label}」に進める")
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("任意（例: 第12回ピッチイベントで成立）")
        form = QFormLayout(self)
        form.addRow("日付", self.date_edit)
        form.addRow("メモ", self.note_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("記録する")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> tuple[dt.date, str | None]:
        q = self.date_edit.date()
        return dt.date(q.year(), q.month(), q.day()), (self.note_edit.text().strip() or None)


class MatchingsPage(Page):
    page_id = "matchings"
    title = "マッチング"
    entities = ("matchings", "needs", "seeds", "trials")

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.fy_combo = QComboBox()
        for fy in fiscal_year_choices():
            self.fy_combo.addItem(fy_label(fy), fy)
        self.fy_combo.setCurrentIndex(self.fy_combo.findData(current_fiscal_year()))
        self.fy_combo.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 14px;")

        self.new_button = QPushButton("新規マッチング")
        self.new_button.clicked.connect(self.new_record)
        self.advance_button = QPushButton("次の段階へ…")
        self.advance_button.clicked.connect(self.advance_selected)
        self.trial_button = QPushButton("現場試行を登録…")
        self.trial_button.clicked.connect(self.register_trial)

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.fy_combo)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.advance_button)
        top.addWidget(self.trial_button)

        self.lists: dict[str, CardColumn] = {}
        self.headers: dict[str, QLabel] = {}
        board = QHBoxLayout()
        board.setSpacing(8)
        for code, label in matching_service.BOARD_COLUMNS:
            column = QFrame()
            column.setObjectName(f"column_{code}")
            column.setStyleSheet(f"QFrame#column_{code} {{ background: #f4f6f9; border-radius: 6px; }}")
            v = QVBoxLayout(column)
            v.setContentsMargins(6, 6, 6, 6)
            header = QLabel(label)
            header.setStyleSheet(
                f"background: {COLUMN_COLOURS[code]}; color: white; font-weight: bold; padding: 6px; border-radius: 4px;"
            )
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cards = CardColumn(self)
            cards.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            cards.customContextMenuRequested.connect(lambda pos, c=code: self._context_menu(c, pos))
            v.addWidget(header)
            v.addWidget(cards, 1)
            self.lists[code] = cards
            self.headers[code] = header
            board.addWidget(column, 1)

        self.hint = QLabel("カードを選んで「次の段階へ」で段階と日付を記録します。ダブルクリックで詳細を編集します。")
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("マッチング")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addLayout(board, 1)
        layout.addWidget(self.hint)
        self._cards: dict[str, matching_service.Card] = {}
        self._selected: str | None = None
        self._update_buttons()

    def fiscal_year(self) -> int:
        return int(self.fy_combo.currentData())

    def refresh(self) -> None:
        fy = self.fiscal_year()
        owners = None if self.ctx.is_secretariat else [self.ctx.org]
        columns = matching_service.board(self.ctx, fy, owners)
        counts = matching_service.pipeline_counts(self.ctx, fy, owners)
        self._cards = {}
        self._selected = None
        for code, label in matching_service.BOARD_COLUMNS:
            widget = self.lists[code]
            widget.clear()
            for card in columns[code]:
                self._cards[card.id] = card
                extra = f"　実証 {card.trials} 件" if card.trials else ""
                owner = "" if card.owner == self.ctx.org else f"\n［{org_name(card.owner)}］"
                widget.add(card, f"{card.need_label}\n→ {card.seed_label}\n{date_label(card.stage_on)}{extra}{owner}")
            self.headers[code].setText(f"{label}　{len(columns[code])}")
        steps = " → ".join(f"{label} {counts.get(code, 0)}" for code, label in matching_service.BOARD_COLUMNS[:4])
        self.summary.setText(f"{fy_label(fy)}の件数: {steps}（不成立 {counts.get('dropped', 0)}）")
        self._update_buttons()

    def select_card(self, matching_id: str) -> None:
        self._selected = matching_id
        for column in self.lists.values():
            for widget in column.cards:
                widget.set_selected(widget.card.id == matching_id)
        self._update_buttons()

    def selected_card(self) -> matching_service.Card | None:
        return self._cards.get(self._selected) if self._selected else None

    def _update_buttons(self) -> None:
        card = self.selected_card()
        self.advance_button.setEnabled(bool(card and card.writable and card.next_stages))
        self.trial_button.setEnabled(bool(card and card.writable and card.column in ("established", "trial")))

    def _context_menu(self, code: str, pos) -> None:  # type: ignore[no-untyped-def]
        card = self.selected_card()
        if card is None or not card.writable:
            return
        menu = QMenu(self)
        for stage in card.next_stages:
            menu.addAction(f"「{STAGE_LABELS[stage]}」に進める…", lambda s=stage: self.advance_selected(s))
        menu.addAction("編集…", self.edit_selected)
        menu.exec(self.lists[code].mapToGlobal(pos))

    def advance_selected(self, stage: str | None = None) -> None:
        card = self.selected_card()
        if card is None or not card.next_stages:
            return
        if not stage:
            stage = card.next_stages[0]
            if len(card.next_stages) > 1:
                from PySide6.QtWidgets import QInputDialog

                labels = [STAGE_LABELS[s] for s in card.next_stages]
                chosen, ok = QInputDialog.getItem(self, "次の段階", "進める段階", labels, 0, False)
                if not ok:
                    return
                stage = card.next_stages[labels.index(chosen)]
        dialog = StageDialog(STAGE_LABELS[stage], self)
        if not dialog.exec():
            return
        on, note = dialog.value()
        self.move_to_stage(card.id, stage, on, note)

    def move_to_stage(self, matching_id: str, stage: str, on: dt.date, note: str | None = None) -> None:
        try:
            matching_service.advance_stage(self.ctx, matching_id, stage, on, note)
        except UserError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "マッチング", exc.message)
            return
        self.bus.status_message.emit(f"「{STAGE_LABELS[stage]}」を {on.isoformat()} で記録しました。")
        self.bus.records_changed.emit("matchings")

    def register_trial(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        from jcim_desktop.services import records
        from jcim_desktop.ui.dialogs import open_record_dialog

        matching = records.get(self.ctx, "matchings", card.id)
        template: dict[str, object] = {"matching_id": card.id, "need_id": matching["need_id"], "seed_id": matching["seed_id"],
                                       "pitch_event_id": matching.get("pitch_event_id"), "status": "planned"}
        try:
            template["lg_code"] = records.get(self.ctx, "needs", matching["need_id"])["lg_code"]
        except UserError:
            pass
        open_record_dialog(self, self.ctx, "trials", template=template, bus=self.bus)

    # Page hooks ------------------------------------------------------------------------------
    def can_edit(self) -> bool:
        return True

    def new_record(self) -> None:
        from jcim_desktop.ui.dialogs import open_record_dialog

        open_record_dialog(self, self.ctx, "matchings", bus=self.bus)

    def edit_selected(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        from jcim_desktop.ui.dialogs import open_record_dialog

        open_record_dialog(self, self.ctx, "matchings", record_id=card.id, bus=self.bus)
