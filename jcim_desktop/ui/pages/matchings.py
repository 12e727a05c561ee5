"""マッチング: the pipeline 検討 → 成立 → 現場試行 → 社会実装 (and 不成立) as columns with counts."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import matchings as matching_service
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import FiscalYearPage
from jcim_desktop.ui.table_model import punctuation
from jcim_desktop.ui.widgets import boxes
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.open_keys import opens_record

COLUMN_COLOURS = {
    "considered": "#5b8def",
    "established": "#2e9d6a",
    "trial": "#e39b2d",
    "implemented": "#7a4fc9",
    "dropped": "#8a8f98",
}


CARDS_SHOWN = matching_service.CARDS_SHOWN
"""Cards a column shows at most (the newest first)."""
FIRST_CARDS = 8
"""Cards a column places at once when the board is read: more than fit its height."""
PLACE_LATER = 8
"""Cards a column places at a time after that (``MatchingsPage._place_more``): a few tens of
milliseconds of the GUI thread each time, so a click in between is answered at once."""
PLACE_PAUSE_MS = 120
"""The pause before each of those placements: the board's first frame is painted (and the
window free) before any of them."""


class CardWidget(QFrame):
    """One pairing on the board: need, seed, date; click (or Tab to it) to select, double-click,
    Enter or F2 to open."""

    def __init__(self, card: matching_service.Card, text: str, column: CardColumn) -> None:
        super().__init__()
        self.card = card
        self.column = column
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)
        if not card.writable:
            self.setToolTip(self.tr("他組織の記録は閲覧のみです"))
        self.selected = False

    def text(self) -> str:
        return self.label.text()

    def set_selected(self, selected: bool) -> None:
        # The look is the column's one style sheet (CARD_STYLE), by the ``selected`` property: a
        # style sheet per card made laying out a full board take seconds.
        if selected == self.selected:
            return
        self.selected = selected
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.column.page.select_card(self.card.id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.column.page.select_card(self.card.id)
        self.column.page.edit_selected()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.column.page.select_card(self.card.id)
        self.column.ensureWidgetVisible(self)
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if opens_record(event):
            self.column.page.select_card(self.card.id)
            self.column.page.edit_selected()
            return
        super().keyPressEvent(event)


CARD_STYLE = (
    "QFrame#card { background: white; border: 1px solid #d5dbe3; border-radius: 5px; }"
    "QFrame#card[selected=\"true\"] { border: 2px solid #2f6db5; }"
)


class CardColumn(QScrollArea):
    """A pipeline column: cards stacked top to bottom, scrolling vertically only."""

    def __init__(self, page: MatchingsPage) -> None:
        super().__init__()
        self.page = page
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QScrollArea { background: transparent; }")
        self.inner = QWidget()
        self.inner.setObjectName("cards")
        self.inner.setStyleSheet("QWidget#cards { background: transparent; }" + CARD_STYLE)
        self.box = boxes.column(owner=self.inner, spacing=6)
        self.box.addStretch(1)
        self.setWidget(self.inner)
        self.cards: list[CardWidget] = []

        self.more = QLabel()
        self.more.setWordWrap(True)
        self.more.setStyleSheet("color: #555;")
        self.more.hide()
        self.box.insertWidget(0, self.more)

    def clear(self) -> None:
        for widget in self.cards:
            self.box.removeWidget(widget)
            widget.deleteLater()
        self.cards = []
        self.more.hide()

    def say_more(self, text: str) -> None:
        """A line under the cards: how many more there are than the column shows."""
        self.more.setText(text)
        self.box.removeWidget(self.more)
        self.box.insertWidget(self.box.count() - 1, self.more)
        self.more.show()

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


class MatchingsPage(FiscalYearPage):
    page_id = "matchings"
    title = "マッチング"
    entities = ("matchings", "needs", "seeds", "trials")
    cards_placed = Signal()
    """Every card of the board read last is placed (the first ones come with ``loaded``)."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent, years=fmt.fiscal_year_choices(), current=fmt.current_fiscal_year())
        self._placing = 0
        self._pending: dict[str, list[matching_service.Card]] = {}
        self._more: dict[str, str] = {}
        self._ahead: tuple[int, matching_service.Board, dict[str, int]] | None = None
        self._ahead_wanted = False
        self._ahead_generation = 0
        bus.changed.connect(self._forget_ahead)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 14px;")
        self.summary.setWordWrap(True)

        self.new_button = push_button(self.tr("新規マッチング"), self.new_record)
        self.advance_button = push_button(self.tr("次の段階へ…"), self.advance_selected)
        self.trial_button = push_button(self.tr("現場試行を登録…"), self.register_trial)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度")))
        top.addWidget(self.fy_combo)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.advance_button)
        top.addWidget(self.trial_button)

        self.lists: dict[str, CardColumn] = {}
        self.headers: dict[str, QLabel] = {}
        board = QHBoxLayout()
        board.setSpacing(8)
        for code in matching_service.BOARD_COLUMNS:
            column = QFrame()
            column.setObjectName(f"column_{code}")
            column.setStyleSheet(f"QFrame#column_{code} {{ background: #f4f6f9; border-radius: 6px; }}")
            v = QVBoxLayout(column)
            v.setContentsMargins(6, 6, 6, 6)
            header = QLabel(labels.pipeline_step(code))
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

        self.hint = QLabel(self.tr("カードを選んで「次の段階へ」で段階と日付を記録します。ダブルクリックで詳細を編集します。"))
        self.hint.setStyleSheet("color: #555;")
        self.hint.setWordWrap(True)
        layout = self.page_layout()
        layout.addLayout(top)
        layout.addWidget(self.summary)  # its own line: the counts are longer in English
        layout.addLayout(board, 1)
        layout.addWidget(self.hint)
        self._cards: dict[str, matching_service.Card] = {}
        self._selected: str | None = None
        self._update_buttons()

    def _reader(self) -> Callable[[int], tuple[int, matching_service.Board, dict[str, int]]]:
        ctx = self.ctx
        owners = None if ctx.is_secretariat else [ctx.org]
        shown = CARDS_SHOWN

        def read(fy: int) -> tuple[int, matching_service.Board, dict[str, int]]:
            return fy, matching_service.board(ctx, fy, owners, shown), matching_service.pipeline_counts(ctx, fy, owners)

        return read

    def prepare(self) -> None:
        """Read the board ahead, off the GUI thread (the window calls this in an idle moment after
        the start, for a page not shown yet): the first showing then only places the cards. A
        change to the records meanwhile drops what was read."""
        if not self._stale or self._ahead_wanted:
            return
        self._ahead_wanted = True
        generation, fy, read = self._ahead_generation, self.fiscal_year(), self._reader()

        def ready(found: tuple[int, matching_service.Board, dict[str, int]]) -> None:
            if generation == self._ahead_generation:
                self._ahead = found

        ops.QueryOp(self, lambda _progress: read(fy), success=ready).run_in_background()

    def _forget_ahead(self, changes: Changes) -> None:
        if self.is_affected_by(changes):
            self._ahead, self._ahead_generation = None, self._ahead_generation + 1

    def refresh(self) -> None:
        """Read the year's board off the GUI thread (or show what ``prepare`` read, if still current)."""
        ahead, self._ahead, self._ahead_wanted = self._ahead, None, False
        self._ahead_generation += 1
        if ahead is not None and ahead[0] == self.fiscal_year():
            self.supersede_reads()
            self._show(*ahead)
            self.loaded.emit()
            return
        self.read_year(self._reader(), lambda found: self._show(*found))

    def _show(self, fy: int, board: matching_service.Board, counts: dict[str, int]) -> None:
        self._cards = {card.id: card for cards in board.columns.values() for card in cards}
        keep, self._selected = self._selected, None
        focused = isinstance(self.focusWidget(), CardWidget)  # the keyboard was on a card
        # A card is a widget: a column shows the newest CARDS_SHOWN (at a secretariat's scale a
        # year may hold thousands, which would take the window seconds to lay out), the first
        # FIRST_CARDS of each at once (more than a column's height), the rest just after the
        # board has been painted, a few at a time (PLACE_LATER), so the window stays responsive.
        self._placing += 1
        self._pending = {}
        for code in matching_service.BOARD_COLUMNS:
            widget = self.lists[code]
            widget.clear()
            cards = board.columns[code]
            now = cards if keep in self._cards else cards[:FIRST_CARDS]
            for card in now:
                widget.add(card, self.card_text(card))
            self._pending[code] = list(cards[len(now):])
            hidden = board.totals[code] - len(cards)
            self._more[code] = (
                self.tr("新しい順に {shown} 件を表示しています（ほか {more} 件）。"
                        "すべては「レポート」のマッチング情報シートや Excel 出力で確認できます。")
                .format(shown=fmt.number(len(cards)), more=fmt.number(hidden))
                if hidden > 0 else ""
            )
            if not self._pending[code] and self._more[code]:
                widget.say_more(self._more[code])
            self.headers[code].setText(f"{labels.pipeline_step(code)}  {fmt.number(board.totals[code])}")
        if any(self._pending.values()):
            placing = self._placing
            QTimer.singleShot(PLACE_PAUSE_MS, self, lambda: self._place_more(placing))
        steps = " → ".join(
            f"{labels.pipeline_step(code)} {fmt.number(counts.get(code, 0))}" for code in matching_service.BOARD_COLUMNS[:4]
        )
        dropped = f"{labels.pipeline_step('dropped')} {fmt.number(counts.get('dropped', 0))}"
        self.summary.setText(self.tr("{year}の件数: {steps}（{dropped}）").format(
            year=fmt.fy_label(fy), steps=steps, dropped=dropped))
        if keep in self._cards:
            self.select_card(keep)
            if focused:  # the keyboard stays on the card it was on
                next(w for column in self.lists.values() for w in column.cards if w.card.id == keep).setFocus()
        self._update_buttons()

    def _place_more(self, placing: int) -> None:
        """Place the next PLACE_LATER cards of each column (``_show``), then come back until all are."""
        if placing != self._placing:  # the board was read again meanwhile
            return
        for code, cards in self._pending.items():
            column = self.lists[code]
            for card in cards[:PLACE_LATER]:
                column.add(card, self.card_text(card)).set_selected(card.id == self._selected)
            del cards[:PLACE_LATER]
            if not cards and self._more[code] and not column.more.isVisibleTo(column):
                column.say_more(self._more[code])
        if any(self._pending.values()):
            QTimer.singleShot(PLACE_PAUSE_MS, self, lambda: self._place_more(placing))
        else:
            self.cards_placed.emit()

    def card_text(self, card: matching_service.Card) -> str:
        """A card's lines: the need (where, what), the seed, the latest stage's day, trials, owner."""
        bar = punctuation("｜", " | ")
        if card.need is None:
            need = self.tr("（未受信のニーズ）")
        else:
            need = f"{card.need.place}{bar}{card.need.title}" if card.need.place else card.need.title
        seed = f"{card.seed.company}{bar}{card.seed.tech_name}" if card.seed is not None else self.tr("（未受信のシーズ）")
        when = fmt.date_label(card.stage_on)
        if card.trials:
            when = self.tr("{date}　実証 {count} 件").format(date=when, count=fmt.number(card.trials))
        lines = [need, f"→ {seed}", when]
        if card.owner != self.ctx.org:
            lines.append(punctuation("［{org}］", "[{org}]").format(org=labels.org(card.owner)))
        return "\n".join(lines)

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

    def _context_menu(self, code: str, pos: QPoint) -> None:
        card = self.selected_card()
        if card is None or not card.writable:
            return
        menu = QMenu(self)
        for stage in card.next_stages:
            menu.addAction(self.tr("「{stage}」に進める…").format(stage=labels.matching_stage(stage)),
                           functools.partial(self.advance_selected, stage))
        menu.addAction(self.tr("編集…"), self.edit_selected)
        menu.exec(self.lists[code].mapToGlobal(pos))

    def advance_selected(self, stage: str | None = None) -> None:
        """One dialog: the stage (the next one chosen, 不成立・中止 beside it), the date and a note."""
        card = self.selected_card()
        if card is None or not card.next_stages:
            return
        from jcim_desktop.ui.dialogs.stage import StageDialog

        dialog = StageDialog(self.ctx, card.id, self, stage=stage)
        dialog.exec()
        saved, chosen, on = dialog.saved, dialog.stage(), dialog.on()
        dialog.deleteLater()
        if saved is not None and chosen is not None:
            self.bus.status_message.emit(self.tr("「{stage}」を {date} で記録しました。").format(
                stage=labels.matching_stage(chosen), date=fmt.date_label(on)))

    def move_to_stage(self, matching_id: str, stage: str, on: dt.date, note: str | None = None) -> None:
        """Record that a pairing reached ``stage`` on ``on`` (announced: the board and the KPIs follow).

        A card on the board is moved as painted: if a colleague moved or changed the pairing since,
        nothing is written, a message says who and when, and the board is read again."""
        ctx = self.ctx
        card = self._cards.get(matching_id)
        shown = card.hlc if card is not None else None
        moved = ops.perform(self, lambda: matching_service.advance_stage(ctx, matching_id, stage, on, note,
                                                                         expected_hlc=shown),
                            failure=self._move_refused)
        if moved is None:
            return
        self.bus.status_message.emit(self.tr("「{stage}」を {date} で記録しました。").format(
            stage=labels.matching_stage(stage), date=fmt.date_label(on)))

    def _move_refused(self, error: UserError) -> None:
        if not isinstance(error, EditConflict):
            ops.show_error(self, error)
            return
        from jcim_desktop.ui.dialogs.stage import move_refused_text

        self.refresh()  # the colleague's move shows
        QMessageBox.warning(self, self.tr("ほかの人が先に変更しました"), move_refused_text(self.ctx, error, on_board=True))

    def register_trial(self) -> None:
        """A new field trial of the selected pairing (what it takes from the pairing: the service's rule)."""
        card = self.selected_card()
        if card is None:
            return
        from jcim_desktop.ui.dialogs import open_record_dialog

        template = matching_service.trial_template(self.ctx, card.id)
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
