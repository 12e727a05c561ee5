"""ダッシュボード: the year's KPIs against targets, where pairings stall, what is due, and the maps."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.services import dashboard as dashboard_service
from jcim_desktop.services import tally
from jcim_desktop.services.closing import Closure
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.dashboard import BlockCount, Dashboard, DueEvent, Funnel, KpiCard
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import FiscalYearPage
from jcim_desktop.ui.widgets import boxes
from jcim_desktop.ui.widgets.japan_map import BLUES, GREEN_BLUES, PrefectureMap

ACCENT = QColor("#2f6db5")
ACCENT_LIGHT = QColor("#bcd2ee")
ACHIEVED = QColor("#2e8540")
STALL = QColor("#dd6b20")
DROPPED = QColor("#9aa5b1")
TRACK = QColor("#e6eaf0")
TEXT = QColor(palette.TEXT)
MUTED = QColor(palette.MUTED)
WARNING = palette.ERROR

MAX_EVENT_ROWS = dashboard_service.EVENTS_SHOWN
DATE_WIDTH = 112
"""The date column of the event lists (and the days under it: 「124 days overdue」 on one line)."""

STYLE = palette.PAGE_STYLE + """
QWidget#dashboardContent { background: #f4f6f9; }
QLabel { background: transparent; }
QLabel#subtitle { color: #5f6b7a; }
QLabel#cardName { color: #3e4c59; font-weight: bold; }
QLabel#cardValue { color: #3e4c59; font-size: 14px; }
QLabel#stallText { color: #9c4221; }
QLabel#overdueHint { color: #b42318; }
QLabel#eventDate { color: #1f3a5f; font-weight: bold; }
QLabel#overdueDate { color: #b42318; font-weight: bold; }
QLabel#eventDays { color: #5f6b7a; }
QLabel#overdueDays { color: #b42318; }
QFrame#eventRow { border: none; border-bottom: 1px solid #edf0f4; border-radius: 0; }
QLabel#badgeOverdue { color: #ffffff; background: #b42318; border-radius: 9px; padding: 1px 8px; font-weight: bold; }
QLabel#badgeUpcoming { color: #ffffff; background: #2f6db5; border-radius: 9px; padding: 1px 8px; font-weight: bold; }
"""

_BADGE = "border-radius: 8px; padding: 0px 6px; font-size: 11px; font-weight: bold;"
CLOSED_BADGE = f"QLabel {{ color: #25612f; background: #e3f1de; border: 1px solid #9cc590; {_BADGE} }}"
"""A closed year's official figure (「確定」)."""
CLOSED_CHANGED_BADGE = f"QLabel {{ color: #9c4221; background: #fdf0e6; border: 1px solid #e3b48f; {_BADGE} }}"
"""… which the records have changed since it was closed."""

if TYPE_CHECKING:
    from jcim_desktop.ui.explain_dialog import ExplainDialog

translate = QCoreApplication.translate

_UNITS: dict[str, str] = {
    "supported_municipalities": "municipalities",
    "supported_countries": "countries",
    "forums_held": "times",
    "workshops": "times",
    "mayors_council_activities": "times",
}
"""What a count KPI counts (the unit a Japanese figure carries); others count items (件)."""


def _count(n: float) -> str:
    return fmt.number(int(round(n)))


def _municipalities(n: float) -> str:
    """``6団体`` / ``6`` (a number of local governments)."""
    return translate("DashboardPage", "{n}団体").format(n=_count(n))


def _items(n: float) -> str:
    """``6件`` / ``6`` (a number of pairings, events …)."""
    return translate("DashboardPage", "{n}件").format(n=_count(n))


def _figure(code: str, value: float, *, rate: bool) -> str:
    """A KPI figure with its unit, as written after a word (目標 300団体 / Target: 300)."""
    if rate:
        return fmt.percent(value)
    unit = _UNITS.get(code)
    if unit == "municipalities":
        return _municipalities(value)
    if unit == "countries":
        return translate("DashboardPage", "{n}か国・地域").format(n=_count(value))
    if unit == "times":
        return translate("DashboardPage", "{n}回").format(n=_count(value))
    return _items(value)


def _big_figure(code: str, value: float, *, rate: bool) -> str:
    """A card's figure: the number large, the unit (where the language writes one) small."""
    number = fmt.percent(value) if rate else _count(value)
    big = f'<span style="font-size: 28px; font-weight: bold; color: #1f2933;">{number}</span>'
    if rate:
        return big
    unit = _UNITS.get(code)
    if unit == "municipalities":
        return translate("DashboardPage", "{n}団体").format(n=big)
    if unit == "countries":
        return translate("DashboardPage", "{n}か国・地域").format(n=big)
    if unit == "times":
        return translate("DashboardPage", "{n}回").format(n=big)
    return translate("DashboardPage", "{n}件").format(n=big)


def _achievement(fraction: float | None) -> str:
    return "—" if fraction is None else fmt.percent(fraction)


def _label(text: str = "", name: str = "", *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class Panel(QFrame):
    """A white, rounded section with a title; ``body`` takes the content."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.title_label = _label(title, "panelTitle")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 14)
        self.body.setSpacing(8)
        self.header = QHBoxLayout()
        self.header.addWidget(self.title_label)
        self.header.addStretch(1)
        self.body.addLayout(self.header)

    def fill(self, *widgets: QWidget) -> Panel:
        """Add ``widgets`` to the body, top to bottom, the spare room below them."""
        for widget in widgets:
            self.body.addWidget(widget)
        self.body.addStretch(1)
        return self


def _side_by_side(*widgets: QWidget) -> QHBoxLayout:
    """Panels in a row, sharing its width equally."""
    row = QHBoxLayout()
    row.setSpacing(16)
    for widget in widgets:
        row.addWidget(widget, 1)
    return row


class ProgressStrip(QWidget):
    """A thin bar: ``value`` of 1.0 in the accent colour, optionally over a lighter ``background_value``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.value: float | None = None
        self.background_value: float | None = None
        self.achieved = False

    def set_values(self, value: float | None, background_value: float | None = None, achieved: bool = False) -> None:
        self.value, self.background_value, self.achieved = value, background_value, achieved
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(self.rect())
        radius = rect.height() / 2
        painter.setBrush(TRACK)
        painter.drawRoundedRect(rect, radius, radius)
        for fraction, color in ((self.background_value, ACCENT_LIGHT), (self.value, ACHIEVED if self.achieved else ACCENT)):
            if fraction is None or fraction <= 0:
                continue
            width = max(rect.width() * min(fraction, 1.0), rect.height())
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), width, rect.height()), radius, radius)
        painter.end()


class KpiCardWidget(QFrame):
    """One KPI: its value, the target, a progress strip and 達成率 (for a forum: national context).

    A click (or Enter / Space when it has the focus) asks for the records behind the figure.
    """

    opened = Signal(str)
    """The KPI code whose records a person asked to see."""

    def __init__(self, code: str, *, framed: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.framed = framed
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(self.tr("クリックすると、この数値のもとになった記録を一覧します"))
        if framed:
            self.setObjectName("card")
        self.name_label = _label(labels.kpi_label(code), "cardName", wrap=True)
        self.value_label = _label("—", "cardValue")
        self.value_label.setTextFormat(Qt.TextFormat.RichText)
        self.figure = ""
        """The figure shown, as plain text (``6団体`` / ``6``)."""
        self.strip = ProgressStrip()
        self.target_label = _label("", "muted", wrap=True)
        self.achievement_label = _label("", "muted")
        self.note_label = _label("", "muted", wrap=True)

        # A card in a row of five is narrow: 達成率 goes under the target; above a map, beside it.
        footer: QVBoxLayout | QHBoxLayout = QVBoxLayout() if framed else QHBoxLayout()
        footer.setSpacing(2 if framed else 6)
        footer.addWidget(self.target_label, 1)
        footer.addWidget(self.achievement_label, 0)
        if not framed:
            self.achievement_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        margin = 14 if framed else 0
        layout.setContentsMargins(margin, 12 if framed else 0, margin, 12 if framed else 0)
        layout.setSpacing(6)
        layout.addWidget(self.name_label)
        # 「確定」 beside the figure when the year's figures are closed (年度確定).
        self.closed_badge = _label(self.tr("確定"))
        self.closed_badge.setStyleSheet(CLOSED_BADGE)
        self.closed_badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.closed_badge.hide()
        value_row = QHBoxLayout()
        value_row.setSpacing(6)
        value_row.addWidget(self.value_label)
        value_row.addWidget(self.closed_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        value_row.addStretch(1)
        layout.addLayout(value_row)
        layout.addWidget(self.strip)
        layout.addLayout(footer)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        if framed:
            # Two lines for the longest KPI names, so the values of a row line up.
            metrics = QFontMetricsF(self.name_label.font())
            self.name_label.setMinimumHeight(int(metrics.lineSpacing() * 2 + 2))
            self.setMinimumWidth(140)
        self.card: KpiCard | None = None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.card is not None:
            self.opened.emit(self.code)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.card is not None:
            self.opened.emit(self.code)
            return
        super().keyPressEvent(event)

    def set_closed(self, closed: Closure | None, fiscal_year: int) -> None:
        """Mark the figure as the closed year's official one (a 「確定」 badge, the closing date and
        the live figure where it differs in its tool tip); None: an open year, no badge."""
        self.closed_badge.setVisible(closed is not None)
        if closed is None or self.card is None:
            return
        tip = self.tr("{fiscal_year}の確定値です（{date} {by}）。").format(
            fiscal_year=fmt.fy_short(fiscal_year), date=fmt.date_label(closed.on), by=closed.by)
        live = self.card.live_value
        if live is not None:
            tip += "\n" + self.tr("確定後に記録が変わり、現在の記録では {value} です。").format(
                value=_figure(self.card.code, live, rate=self.card.is_rate))
        self.closed_badge.setStyleSheet(CLOSED_BADGE if live is None else CLOSED_CHANGED_BADGE)
        self.closed_badge.setToolTip(tip)

    def set_card(self, card: KpiCard, *, national: bool) -> None:
        self.card = card
        rate = card.is_rate
        self.figure = _figure(card.code, card.value, rate=rate)
        self.value_label.setText(_big_figure(card.code, card.value, rate=rate))
        achieved = card.achievement is not None and card.achievement >= 1.0
        if national:
            if card.target is None:
                target = self.tr("目標 未設定")
            else:
                target = self.tr("目標 {target}").format(target=_figure(card.code, card.target, rate=rate))
            self.target_label.setText(target)
            self.achievement_label.setText(self.tr("達成率 {rate}").format(rate=_achievement(card.achievement)))
            self.achievement_label.setStyleSheet(
                f"color: {ACHIEVED.name() if achieved else TEXT.name()}; font-weight: bold;"
            )
            self.strip.set_values(card.achievement, achieved=achieved)
            note = self._note(card)
            self.note_label.setText(note)
            self.note_label.setVisible(bool(note))
            self.strip.setToolTip("" if card.target is None else self.tr("目標 {target} に対する達成率").format(
                target=_figure(card.code, card.target, rate=rate)))
        else:
            # A forum's figure against a national target is no achievement: show the country's
            # progress as context, and the forum's part of it in the strip.
            if card.target is None:
                target = self.tr("全国目標 未設定")
            else:
                target = self.tr("全国目標 {target}（参考）").format(target=_figure(card.code, card.target, rate=rate))
            self.target_label.setText(target)
            self.achievement_label.hide()
            national_value = _figure(card.code, card.national_value or 0.0, rate=rate)
            self.note_label.setText(self.tr("全国計 {value}").format(value=national_value))
            own = card.value / card.target if card.target else None
            self.strip.set_values(own, card.national_achievement)
            tip = ""
            if card.national_value:
                tip = self.tr("当フォーラム {value}（全国計の {share}）").format(
                    value=self.figure, share=fmt.percent(card.value / card.national_value))
            self.setToolTip(tip)

    def _note(self, card: KpiCard) -> str:
        """What the national figure is made of (延べ and 実数; a rate's local governments)."""
        if card.distinct is not None:
            return self.tr("延べ数（実数 {count}団体）").format(count=fmt.number(card.distinct))
        if card.numerator is not None and card.denominator is not None:
            return self.tr("{numerator} / {denominator} 市区町村").format(
                numerator=fmt.number(card.numerator), denominator=fmt.number(card.denominator))
        return ""


class FunnelChart(QWidget):
    """The pipeline as horizontal bars: 検討 → 成立 → 現場試行 → 社会実装, then 不成立; the stall step stands out."""

    ROW = 34
    GAP = 26
    COUNT_W = 64

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.funnel: Funnel | None = None
        self.setMinimumHeight(self._height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _height(self) -> int:
        return 5 * self.ROW + 3 * self.GAP + 22

    def sizeHint(self) -> QSize:
        return QSize(480, self._height())

    def set_funnel(self, funnel: Funnel) -> None:
        self.funnel = funnel
        counts = [self.tr("{step} {count}").format(step=labels.pipeline_step(s.code), count=_items(s.count))
                  for s in funnel.steps]
        counts.append(self.tr("{step} {count}").format(step=self.tr("不成立"), count=_items(funnel.dropped)))
        self.setToolTip("　".join(counts) + "\n" + "　".join(self.conversions()))
        self.update()

    def conversions(self) -> list[str]:
        """``検討→成立 51%`` per pair of steps (``—`` where the earlier step is empty)."""
        if self.funnel is None:
            return []
        steps = self.funnel.steps
        return [self.tr("{previous}→{step} {rate}").format(
            previous=labels.pipeline_step(prev.code), step=labels.pipeline_step(step.code),
            rate=_percent(step.conversion)) for prev, step in itertools.pairwise(steps)]

    def counts(self) -> dict[str, int]:
        if self.funnel is None:
            return {}
        out = {s.code: s.count for s in self.funnel.steps}
        out["dropped"] = self.funnel.dropped
        return out

    def _label_width(self, font: QFont) -> float:
        assert self.funnel is not None
        metrics = QFontMetricsF(font)
        names = [labels.pipeline_step(s.code) for s in self.funnel.steps] + [self.tr("不成立")]
        return max(metrics.horizontalAdvance(name) for name in names) + 16

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.funnel is None:
            return
        funnel = self.funnel
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.92, 8.0))
        width = self.width()
        bar_left = self._label_width(bold)
        bar_max = max(width - bar_left - self.COUNT_W, 40)
        biggest = max([s.count for s in funnel.steps] + [funnel.dropped, 1])
        y = 0.0
        for index, step in enumerate(funnel.steps):
            stalled = step.code == funnel.stall
            if index:
                # The conversion from the previous step, in the gap above this bar.
                prev = funnel.steps[index - 1]
                was_stall = prev.code == funnel.stall
                painter.setFont(bold if was_stall else small)
                painter.setPen(STALL if was_stall else MUTED)
                names = {"rate": _percent(step.conversion), "previous": labels.pipeline_step(prev.code),
                         "step": labels.pipeline_step(step.code)}
                text = self.tr("↓ {rate}  {previous}→{step}").format(**names)
                if was_stall:
                    # Where it fits, say so in words too (the sentence under the chart always does).
                    long = self.tr("↓ {rate}  {previous}→{step}  ここで最も多く止まっています").format(**names)
                    if QFontMetricsF(bold).horizontalAdvance(long) <= width - bar_left - 4:
                        text = long
                painter.drawText(QRectF(bar_left + 4, y, width - bar_left - 4, self.GAP),
                                 Qt.AlignmentFlag.AlignVCenter, text)
                y += self.GAP
            self._row(painter, y, labels.pipeline_step(step.code), step.count, biggest, bar_left, bar_max,
                      STALL if stalled else ACCENT, bold)
            y += self.ROW
        y += 12
        painter.setPen(QColor("#dde3ea"))
        painter.drawLine(0, int(y - 6), width, int(y - 6))
        self._row(painter, y + 4, self.tr("不成立"), funnel.dropped, biggest, bar_left, bar_max, DROPPED, bold)
        painter.end()

    def _row(self, painter: QPainter, y: float, label: str, count: int, biggest: int,
             left: float, span: float, color: QColor, bold: QFont) -> None:
        painter.setFont(bold)
        painter.setPen(TEXT)
        painter.drawText(QRectF(0, y, left - 8, self.ROW), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
        width = span * count / biggest if count else 0.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(QRectF(left, y + 4, span, self.ROW - 8), 4, 4)
        if width:
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(left, y + 4, max(width, 6.0), self.ROW - 8), 4, 4)
        painter.setFont(bold)
        painter.setPen(TEXT)
        painter.drawText(QRectF(left + span + 8, y, self.COUNT_W - 8, self.ROW), Qt.AlignmentFlag.AlignVCenter,
                         _items(count))


def _percent(fraction: float | None) -> str:
    """A conversion between steps (``—`` where the earlier step is empty)."""
    return "—" if fraction is None else fmt.percent(fraction)


class BlockBars(QWidget):
    """Supported local governments per forum block, as labelled horizontal bars."""

    ROW = 26
    COUNT_W = 72

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BlockCount] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[BlockCount]) -> None:
        self.rows = list(rows)
        self.setFixedHeight(max(len(self.rows), 1) * self.ROW)
        self.update()

    def names(self) -> dict[str, int]:
        """Block name (in the window's language) → count."""
        return {labels.org_short(r.block): r.count for r in self.rows}

    def sizeHint(self) -> QSize:
        return QSize(420, max(len(self.rows), 1) * self.ROW)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        names = [labels.org_short(r.block) for r in self.rows]
        metrics = QFontMetricsF(self.font())
        label_w = max([metrics.horizontalAdvance(n) for n in names] + [40.0]) + 10
        biggest = max([r.count for r in self.rows] + [1])
        span = max(self.width() - label_w - self.COUNT_W, 40)
        for i, (row, name) in enumerate(zip(self.rows, names, strict=True)):
            y = i * self.ROW
            painter.setFont(self.font())
            painter.setPen(TEXT)
            painter.drawText(QRectF(0, y, label_w - 10, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(QRectF(label_w, y + 6, span, self.ROW - 12), 3, 3)
            if row.count:
                painter.setBrush(ACCENT)
                painter.drawRoundedRect(QRectF(label_w, y + 6, max(span * row.count / biggest, 5.0), self.ROW - 12), 3, 3)
            painter.setFont(bold)
            painter.setPen(TEXT)
            painter.drawText(QRectF(label_w + span + 8, y, self.COUNT_W - 8, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter, _municipalities(row.count))
        painter.end()


class EventList(QWidget):
    """Planned events, one row each: the date as written, the title, the type (and org), the days."""

    def __init__(self, *, overdue: bool, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overdue = overdue
        self.empty_text = empty_text
        self.layout_ = boxes.column(owner=self, spacing=0)
        self.events: list[DueEvent] = []

    def set_events(self, events: Sequence[DueEvent], today: dt.date, *, show_owner: bool, total: int | None = None) -> None:
        """Show the first ``events`` of a list of ``total`` (default: just these)."""
        self.events = list(events)
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not self.events:
            self.layout_.addWidget(_label(self.empty_text, "muted"))
            return
        for event in self.events[:MAX_EVENT_ROWS]:
            self.layout_.addWidget(self._row(event, today, show_owner))
        rest = max(total or 0, len(self.events)) - min(len(self.events), MAX_EVENT_ROWS)
        if rest > 0:
            more = _label(self.tr("ほか %n件", "", rest), "muted")
            more.setContentsMargins(0, 6, 0, 0)
            self.layout_.addWidget(more)

    def titles(self) -> list[str]:
        return [e.title for e in self.events]

    def _row(self, event: DueEvent, today: dt.date, show_owner: bool) -> QFrame:
        row = QFrame()
        row.setObjectName("eventRow")
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 6, 0, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(0)
        # The plan as its author wrote it (record data); the days it stands for in the tool tip.
        date = _label(event.date_text or self.tr("日程未定"), "overdueDate" if self.overdue else "eventDate", wrap=True)
        date.setFixedWidth(DATE_WIDTH)
        date.setToolTip(self._span_text(event))
        title = _label(event.title, wrap=True)
        title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        if show_owner:
            detail = self.tr("{type}・{org}").format(type=labels.event_type(event.event_type), org=labels.org(event.owner))
        else:
            detail = labels.event_type(event.event_type)
        sub = _label(detail, "muted", wrap=True)
        if self.overdue:
            days = _label(self.tr("%n日経過", "", event.days), "overdueDays")
        elif event.undecided:
            days = _label(self.tr("日程未定"), "eventDays")
        elif event.under_way(today):
            days = _label(self.tr("期間中"), "eventDays")
        else:
            days = _label(self.tr("今日") if event.days == 0 else self.tr("あと%n日", "", event.days), "eventDays")
        # The days under the date: the title keeps the panel's width (two panels share 1024 pixels).
        days.setWordWrap(True)
        days.setFixedWidth(DATE_WIDTH)
        days.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        when = boxes.column(date, days, spacing=0)
        when.addStretch(1)
        grid.addLayout(when, 0, 0, 2, 1)
        grid.addWidget(title, 0, 1)
        grid.addWidget(sub, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        return row

    def _span_text(self, event: DueEvent) -> str:
        if event.start is None:
            return self.tr("日程未定")
        return fmt.date_range_label(event.start, event.end)


class DashboardPage(FiscalYearPage):
    """The first page: the chosen fiscal year's KPIs, funnel, due events and maps."""

    page_id = "dashboard"
    title = "ダッシュボード"
    entities = ("events",)
    shows_kpis = True

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        now = today or dt.date.today()
        super().__init__(ctx, bus, parent, years=fmt.fiscal_year_choices(now), current=fmt.current_fiscal_year(now))
        self._today = today
        self.board: Dashboard | None = None
        self.national = ctx.is_secretariat
        self.fy_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        content = QWidget()
        content.setObjectName("dashboardContent")
        content.setStyleSheet(STYLE)
        self.content = content
        root = QVBoxLayout(content)
        root.setContentsMargins(24, 18, 24, 24)
        root.setSpacing(16)
        root.addLayout(self._header())

        self.cards: dict[str, KpiCardWidget] = {}
        card_codes = dashboard_service.FORUM_CARD_KPIS
        cards_row = QHBoxLayout()
        cards_row.setSpacing(12)
        for code in card_codes:
            widget = KpiCardWidget(code)
            widget.opened.connect(self.explain)
            self.cards[code] = widget
            cards_row.addWidget(widget, 1)
        cards_box = QVBoxLayout()
        cards_box.setSpacing(6)
        cards_box.addLayout(cards_row)
        if not self.national:
            caption = _label(self.tr(
                "目標は全国の目標で、参考として示しています。棒は全国計の進み具合（薄い色）と"
                "当フォーラムの実績（濃い色）です。"), "muted", wrap=True)
            cards_box.addWidget(caption)
        root.addLayout(cards_box)

        self.funnel = FunnelChart()
        self.stall_label = _label("", "stallText", wrap=True)
        funnel_panel = Panel(self.tr("マッチングの進み具合")).fill(self.funnel, self.stall_label)
        # Under the title, not beside it: a national forum's name is long in English.
        self.funnel_note = _label("", "muted", wrap=True)
        funnel_panel.body.insertWidget(1, self.funnel_note)

        self.maps: dict[str, PrefectureMap] = {}
        """The secretariat's participation maps, by KPI code."""
        self.map = PrefectureMap(content)
        """A forum's map of supported municipalities (its block, or all Japan for a national forum)."""
        self.map_panel = Panel(self.tr("支援自治体数"), content)
        if self.national:
            self.map_panel.hide()
            self.map.hide()
            map_panels = []
            for code, title in (("mayors_council_rate", self.tr("市区町村長会議 参画率（都道府県別）")),
                                ("admin_member_rate", self.tr("行政会員 加入率（都道府県別）"))):
                panel = Panel(title)
                panel.title_label.setWordWrap(True)
                card = KpiCardWidget(code, framed=False)
                card.opened.connect(self.explain)
                card.name_label.hide()
                self.cards[code] = card
                panel.body.addWidget(card)
                japan = PrefectureMap()
                japan.setMinimumHeight(440)
                self.maps[code] = japan
                panel.body.addWidget(japan, 1)
                map_panels.append(panel)
            root.addLayout(_side_by_side(*map_panels))

            self.block_bars = BlockBars()
            self.blocks_note = _label(self.tr("各ブロック内の自治体の実数"), "muted", wrap=True)
            blocks_panel = Panel(self.tr("ブロック別の支援自治体数")).fill(self.blocks_note, self.block_bars)
            root.addLayout(_side_by_side(funnel_panel, blocks_panel))
        else:
            self.map.setMinimumHeight(300)
            self.map_panel.title_label.setWordWrap(True)
            self.map_panel.body.addWidget(self.map, 1)
            root.addLayout(_side_by_side(funnel_panel, self.map_panel))

        self.upcoming = EventList(overdue=False, empty_text=self.tr("今後60日の予定はありません。"))
        self.overdue = EventList(overdue=True, empty_text=self.tr("日程を過ぎた未実施の予定はありません。"))
        self.overdue_hint = _label(self.tr("実施済にするか日程を更新してください。"), "overdueHint", wrap=True)
        self.upcoming_count = _label("", "badgeUpcoming")
        self.overdue_count = _label("", "badgeOverdue")
        upcoming_panel = Panel(self.tr("今後60日の予定")).fill(self.upcoming)
        overdue_panel = Panel(self.tr("日程を過ぎた未実施の予定")).fill(self.overdue_hint, self.overdue)
        for panel, badge in ((upcoming_panel, self.upcoming_count), (overdue_panel, self.overdue_count)):
            panel.header.insertWidget(1, badge)
        root.addLayout(_side_by_side(upcoming_panel, overdue_panel))
        root.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(content)
        self.scroll_area = scroll
        boxes.column(scroll, owner=self)

    def _header(self) -> QHBoxLayout:
        title = _label(self.tr("ダッシュボード"), "pageTitle")
        self.subtitle = _label("", "subtitle", wrap=True)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(self.subtitle)
        self.status_label = _label("", "muted")
        header = QHBoxLayout()
        header.addLayout(titles, 1)
        header.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addSpacing(12)
        header.addWidget(_label(self.tr("年度"), "muted"), 0, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.fy_combo, 0, Qt.AlignmentFlag.AlignBottom)
        return header

    # -- data ----------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        """Load the chosen year off the GUI thread."""
        ctx, today = self.ctx, self.today()
        self.status_label.setText(self.tr("集計しています…"))
        self.read_year(lambda fy: dashboard_service.dashboard(ctx, fy, today), self.apply)

    def _scope(self, board: Dashboard) -> str:
        return self.tr("全国") if board.is_secretariat else labels.org(board.org)

    def explain(self, kpi: str) -> ExplainDialog:
        """Open the list of records behind ``kpi``'s figure (a forum's own; the secretariat's total;
        rates are national)."""
        from jcim_desktop.ui.explain_dialog import ExplainDialog

        org = None if self.national or kpi in tally.RATES else self.ctx.org
        dialog = ExplainDialog(self.ctx, self.fiscal_year(), kpi, org, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def apply(self, board: Dashboard) -> None:
        """Show ``board`` (also used directly by tests and screenshots)."""
        self.board = board
        self.status_label.setText("")
        self.subtitle.setText(self.tr("{scope}｜{fiscal_year}｜{date}現在").format(
            scope=self._scope(board), fiscal_year=fmt.fy_label(board.fiscal_year), date=fmt.date_label(board.today)))
        for card in board.cards:
            if card.code in self.cards:
                self.cards[card.code].set_card(card, national=board.is_secretariat)
                self.cards[card.code].set_closed(board.closed, board.fiscal_year)

        self.funnel.set_funnel(board.funnel)
        self.funnel_note.setText(self.tr("{fiscal_year}・{scope}").format(
            fiscal_year=fmt.fy_short(board.fiscal_year),
            scope=self.tr("全フォーラム") if board.is_secretariat else labels.org(board.org)))
        funnel = board.funnel
        if not any(s.count for s in funnel.steps):
            self.stall_label.setText(self.tr("この年度のマッチングはまだありません。"))
            self.stall_label.setStyleSheet(f"color: {MUTED.name()};")
        elif funnel.stall is not None and funnel.stall_next is not None:
            self.stall_label.setText(self.tr("「{step}」から「{next}」へ進めない案件が最も多くなっています（{count}）。").format(
                step=labels.pipeline_step(funnel.stall), next=labels.pipeline_step(funnel.stall_next),
                count=_items(funnel.stall_lost)))
            self.stall_label.setStyleSheet(palette.colour(palette.CAUTION))
        else:
            self.stall_label.setText("")
        self.stall_label.setVisible(bool(self.stall_label.text()))

        if board.is_secretariat:
            rate_legend = self.rate_legend()
            for code, rates in (("mayors_council_rate", board.mayors_rate_by_prefecture),
                                ("admin_member_rate", board.admin_rate_by_prefecture)):
                legend = self.tr("参画率") if code == "mayors_council_rate" else self.tr("加入率")
                self.maps[code].set_data(
                    rates, dashboard_service.rate_class, rate_legend,
                    legend_title=legend, value_text=fmt.percent, palette=GREEN_BLUES,
                )
            self.block_bars.set_rows(board.supported_by_block)
        else:
            self.map.set_prefectures(board.map_prefectures)
            self.map.set_data(
                board.supported_by_prefecture, dashboard_service.support_class, self.support_legend(),
                legend_title=self.tr("支援自治体数"), value_text=_municipalities, palette=BLUES,
            )
            # All Japan (a national forum) needs more room than a block to be legible.
            self.map.setMinimumHeight(300 if board.block else 440)
            fiscal_year = fmt.fy_short(board.fiscal_year)
            if board.block:
                title = self.tr("{block}ブロックの支援自治体数（{fiscal_year}）").format(
                    block=labels.org_short(board.block), fiscal_year=fiscal_year)
            else:
                title = self.tr("都道府県別の支援自治体数（{fiscal_year}）").format(fiscal_year=fiscal_year)
            self.map_panel.title_label.setText(title)

        show_owner = board.is_secretariat
        self.upcoming.set_events(board.upcoming, board.today, show_owner=show_owner, total=board.upcoming_total)
        self.overdue.set_events(board.overdue, board.today, show_owner=show_owner, total=board.overdue_total)
        self.upcoming_count.setText(_items(board.upcoming_total))
        self.upcoming_count.setVisible(bool(board.upcoming_total))
        self.overdue_count.setText(_items(board.overdue_total))
        self.overdue_count.setVisible(bool(board.overdue_total))
        self.overdue_hint.setVisible(bool(board.overdue))

    def rate_legend(self) -> tuple[str, ...]:
        """The participation maps' classes (``dashboard.rate_class``), lowest first."""
        legend = (self.tr("10%未満"), self.tr("10%以上"), self.tr("30%以上"), self.tr("50%以上"), self.tr("70%以上"), "100%")
        assert len(legend) == dashboard_service.RATE_CLASS_COUNT
        return legend

    def support_legend(self) -> tuple[str, ...]:
        """The supported-municipality map's classes (``dashboard.support_class``), lowest first."""
        legend = (self.tr("なし"), self.tr("1〜2団体"), self.tr("3〜5団体"), self.tr("6〜9団体"), self.tr("10団体以上"))
        assert len(legend) == dashboard_service.SUPPORT_CLASS_COUNT
        return legend
