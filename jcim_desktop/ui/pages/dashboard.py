"""ダッシュボード: the year's KPIs against targets, where pairings stall, what is due, and the maps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
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

from jcim_desktop.domain.kpi import KPI_BY_CODE
from jcim_desktop.services import dashboard as dashboard_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.dashboard import BlockCount, Dashboard, DueEvent, Funnel, KpiCard
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import current_fiscal_year, date_label, fiscal_year_choices, fy_label, fy_short
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.widgets.japan_map import BLUES, GREEN_BLUES, PrefectureMap

ACCENT = QColor("#2f6db5")
ACCENT_LIGHT = QColor("#bcd2ee")
ACHIEVED = QColor("#2e8540")
STALL = QColor("#dd6b20")
DROPPED = QColor("#9aa5b1")
TRACK = QColor("#e6eaf0")
TEXT = QColor("#1f2933")
MUTED = QColor("#5f6b7a")
WARNING = "#b42318"

MAX_EVENT_ROWS = 8

STYLE = """
QWidget#dashboardContent { background: #f4f6f9; }
QFrame#panel, QFrame#card { background: #ffffff; border: 1px solid #dde3ea; border-radius: 8px; }
QLabel { background: transparent; }
QLabel#pageTitle { font-size: 20px; font-weight: bold; color: #1f2933; }
QLabel#subtitle { color: #5f6b7a; }
QLabel#panelTitle { font-size: 15px; font-weight: bold; color: #1f2933; }
QLabel#muted { color: #5f6b7a; }
QLabel#cardName { color: #3e4c59; font-weight: bold; }
QLabel#cardValue { font-size: 28px; font-weight: bold; color: #1f2933; }
QLabel#cardUnit { color: #3e4c59; font-size: 14px; }
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


def _count_text(value: float) -> str:
    return f"{int(round(value)):,}"


def _pct(fraction: float | None, digits: int = 0) -> str:
    return "—" if fraction is None else f"{fraction * 100:.{digits}f}%"


def _value_text(card: KpiCard, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if card.is_rate else f"{_count_text(value)}{card.unit}"


def _target_text(card: KpiCard) -> str:
    if card.target is None:
        return "—"
    return f"{card.target * 100:g}%" if card.is_rate else f"{_count_text(card.target)}{card.unit}"


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
    """One KPI: its value, the target, a progress strip and 達成率 (for a forum: national context)."""

    def __init__(self, code: str, label: str, *, framed: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.framed = framed
        if framed:
            self.setObjectName("card")
        self.name_label = _label(label, "cardName", wrap=True)
        self.value_label = _label("—", "cardValue")
        self.unit_label = _label("", "cardUnit")
        self.strip = ProgressStrip()
        self.target_label = _label("", "muted")
        self.achievement_label = _label("", "muted")
        self.achievement_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.note_label = _label("", "muted", wrap=True)

        value_row = QHBoxLayout()
        value_row.setSpacing(4)
        value_row.addWidget(self.value_label, 0, Qt.AlignmentFlag.AlignBottom)
        value_row.addWidget(self.unit_label, 0, Qt.AlignmentFlag.AlignBottom)
        value_row.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.target_label, 1)
        footer.addWidget(self.achievement_label)

        layout = QVBoxLayout(self)
        margin = 14 if framed else 0
        layout.setContentsMargins(margin, 12 if framed else 0, margin, 12 if framed else 0)
        layout.setSpacing(6)
        layout.addWidget(self.name_label)
        layout.addLayout(value_row)
        layout.addWidget(self.strip)
        layout.addLayout(footer)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        if framed:
            # Two lines for the longest KPI names, so the values of a row line up.
            metrics = QFontMetricsF(self.name_label.font())
            self.name_label.setMinimumHeight(int(metrics.lineSpacing() * 2 + 2))
            self.setMinimumWidth(160)
        self.card: KpiCard | None = None

    def set_card(self, card: KpiCard, *, national: bool) -> None:
        self.card = card
        if card.is_rate:
            self.value_label.setText(f"{card.value * 100:.1f}")
            self.unit_label.setText("%")
        else:
            self.value_label.setText(_count_text(card.value))
            self.unit_label.setText(card.unit)
        achieved = card.achievement is not None and card.achievement >= 1.0
        if national:
            target = "目標 未設定" if card.target is None else f"目標 {_target_text(card)}"
            self.target_label.setText(target)
            self.achievement_label.setText(f"達成率 {_pct(card.achievement)}")
            self.achievement_label.setStyleSheet(
                f"color: {ACHIEVED.name() if achieved else TEXT.name()}; font-weight: bold;"
            )
            self.strip.set_values(card.achievement, achieved=achieved)
            if self.framed:
                self.note_label.setText(card.note)
            else:
                # Compact (above a map): one line under the strip.
                self.target_label.setText(f"{target}｜{card.note}" if card.note else target)
                self.note_label.hide()
            self.strip.setToolTip("" if card.target is None else f"目標 {_target_text(card)} に対する達成率")
        else:
            # A forum's figure against a national target is no achievement: show the country's
            # progress as context, and the forum's part of it in the strip.
            target = "全国目標 未設定" if card.target is None else f"全国目標 {_target_text(card)}（参考）"
            self.target_label.setText(target)
            self.achievement_label.hide()
            self.note_label.setText(f"全国計 {_value_text(card, card.national_value)}")
            own = card.value / card.target if card.target else None
            self.strip.set_values(own, card.national_achievement)
            tip = ""
            if card.national_value:
                share = card.value / card.national_value * 100
                tip = f"当フォーラム {_value_text(card, card.value)}（全国計の {share:.0f}%）"
            self.setToolTip(tip)


class FunnelChart(QWidget):
    """The pipeline as horizontal bars: 検討 → 成立 → 現場試行 → 社会実装, then 不成立; the stall step stands out."""

    ROW = 34
    GAP = 26
    LABEL_W = 86
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
        lines = [f"{s.label} {s.count}件" for s in funnel.steps] + [f"不成立 {funnel.dropped}件"]
        self.setToolTip("　".join(lines) + ("\n" + "　".join(funnel.conversions())))
        self.update()

    def counts(self) -> dict[str, int]:
        if self.funnel is None:
            return {}
        out = {s.code: s.count for s in self.funnel.steps}
        out["dropped"] = self.funnel.dropped
        return out

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
        bar_left = self.LABEL_W
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
                text = f"↓ {_pct(step.conversion)}　{prev.label}→{step.label}"
                if was_stall:
                    text += "　ここで最も多く止まっています"
                painter.drawText(QRectF(bar_left + 4, y, bar_max + self.COUNT_W, self.GAP),
                                 Qt.AlignmentFlag.AlignVCenter, text)
                y += self.GAP
            self._row(painter, y, step.label, step.count, biggest, bar_left, bar_max,
                      STALL if stalled else ACCENT, bold, font)
            y += self.ROW
        y += 12
        painter.setPen(QColor("#dde3ea"))
        painter.drawLine(0, int(y - 6), width, int(y - 6))
        self._row(painter, y + 4, "不成立", funnel.dropped, biggest, bar_left, bar_max, DROPPED, bold, font)
        painter.end()

    def _row(self, painter: QPainter, y: float, label: str, count: int, biggest: int,
             left: float, span: float, color: QColor, bold: QFont, font: QFont) -> None:
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
                         f"{count:,}件")


class BlockBars(QWidget):
    """Supported local governments per forum block, as labelled horizontal bars."""

    ROW = 26
    LABEL_W = 64
    COUNT_W = 72

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BlockCount] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[BlockCount]) -> None:
        self.rows = list(rows)
        self.setFixedHeight(max(len(self.rows), 1) * self.ROW)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, max(len(self.rows), 1) * self.ROW)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        biggest = max([r.count for r in self.rows] + [1])
        span = max(self.width() - self.LABEL_W - self.COUNT_W, 40)
        for i, row in enumerate(self.rows):
            y = i * self.ROW
            painter.setFont(self.font())
            painter.setPen(TEXT)
            painter.drawText(QRectF(0, y, self.LABEL_W - 10, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, row.name)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(QRectF(self.LABEL_W, y + 6, span, self.ROW - 12), 3, 3)
            if row.count:
                painter.setBrush(ACCENT)
                painter.drawRoundedRect(QRectF(self.LABEL_W, y + 6, max(span * row.count / biggest, 5.0), self.ROW - 12), 3, 3)
            painter.setFont(bold)
            painter.setPen(TEXT)
            painter.drawText(QRectF(self.LABEL_W + span + 8, y, self.COUNT_W - 8, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter, f"{row.count:,}団体")
        painter.end()


class EventList(QWidget):
    """Planned events, one row each: the date as written, the title, the type (and org), the days."""

    def __init__(self, *, overdue: bool, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overdue = overdue
        self.empty_text = empty_text
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.events: list[DueEvent] = []

    def set_events(self, events: Sequence[DueEvent], today: dt.date, *, show_owner: bool) -> None:
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
        rest = len(self.events) - MAX_EVENT_ROWS
        if rest > 0:
            more = _label(f"ほか {rest:,}件", "muted")
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
        date = _label(event.date_text or "日程未定", "overdueDate" if self.overdue else "eventDate", wrap=True)
        date.setFixedWidth(112)
        date.setToolTip(self._span_text(event))
        title = _label(event.title, wrap=True)
        title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        detail = event.event_type_label + (f"・{event.owner_name}" if show_owner else "")
        sub = _label(detail, "muted", wrap=True)
        if self.overdue:
            days = _label(f"{event.days}日経過", "overdueDays")
        elif event.undecided:
            days = _label("日程未定", "eventDays")
        elif event.under_way(today):
            days = _label("期間中", "eventDays")
        else:
            days = _label("今日" if event.days == 0 else f"あと{event.days}日", "eventDays")
        days.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(date, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(title, 0, 1)
        grid.addWidget(sub, 1, 1)
        grid.addWidget(days, 0, 2, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        return row

    @staticmethod
    def _span_text(event: DueEvent) -> str:
        if event.start is None:
            return "日程未定"
        start, end = date_label(event.start), date_label(event.end) if event.end else ""
        return start if not end or end == start else f"{start}〜{end}"


class DashboardPage(Page):
    """The first page: the chosen fiscal year's KPIs, funnel, due events and maps."""

    page_id = "dashboard"
    title = "ダッシュボード"
    entities = ("events", "needs", "matchings", "trials", "support_activities", "municipality_status", "kpi_targets")

    loaded = Signal()
    """Emitted when the page shows freshly loaded data."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self._today = today
        self._generation = 0
        self.board: Dashboard | None = None
        self.national = ctx.is_secretariat

        self.fy_combo = QComboBox()
        for fy in fiscal_year_choices(self.today()):
            self.fy_combo.addItem(fy_label(fy), fy)
        self.fy_combo.setCurrentIndex(max(self.fy_combo.findData(current_fiscal_year(self.today())), 0))
        self.fy_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.fy_combo.setMinimumWidth(170)

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
            widget = KpiCardWidget(code, KPI_BY_CODE[code].label)
            self.cards[code] = widget
            cards_row.addWidget(widget, 1)
        cards_box = QVBoxLayout()
        cards_box.setSpacing(6)
        cards_box.addLayout(cards_row)
        if not self.national:
            caption = _label(
                "目標は全国の目標で、参考として示しています。棒は全国計の進み具合（薄い色）と"
                "当フォーラムの実績（濃い色）です。", "muted", wrap=True)
            cards_box.addWidget(caption)
        root.addLayout(cards_box)

        self.funnel = FunnelChart()
        self.stall_label = _label("", "stallText", wrap=True)
        funnel_panel = Panel("マッチングの進み具合")
        self.funnel_note = _label("", "muted")
        funnel_panel.header.addWidget(self.funnel_note)
        funnel_panel.body.addWidget(self.funnel)
        funnel_panel.body.addWidget(self.stall_label)
        funnel_panel.body.addStretch(1)

        self.maps: dict[str, PrefectureMap] = {}
        """The secretariat's participation maps, by KPI code."""
        self.map = PrefectureMap(content)
        """A forum's map of supported municipalities (its block, or all Japan for a national forum)."""
        self.map_panel = Panel("支援自治体数", content)
        if self.national:
            self.map_panel.hide()
            self.map.hide()
            maps_row = QHBoxLayout()
            maps_row.setSpacing(16)
            for code, title in (("mayors_council_rate", "市区町村長会議 参画率（都道府県別）"),
                                ("admin_member_rate", "行政会員 加入率（都道府県別）")):
                panel = Panel(title)
                card = KpiCardWidget(code, KPI_BY_CODE[code].label, framed=False)
                card.name_label.hide()
                self.cards[code] = card
                panel.body.addWidget(card)
                japan = PrefectureMap()
                japan.setMinimumHeight(440)
                self.maps[code] = japan
                panel.body.addWidget(japan, 1)
                maps_row.addWidget(panel, 1)
            root.addLayout(maps_row)

            self.block_bars = BlockBars()
            blocks_panel = Panel("ブロック別の支援自治体数")
            self.blocks_note = _label("各ブロック内の自治体の実数", "muted")
            blocks_panel.header.addWidget(self.blocks_note)
            blocks_panel.body.addWidget(self.block_bars)
            blocks_panel.body.addStretch(1)
            row = QHBoxLayout()
            row.setSpacing(16)
            row.addWidget(funnel_panel, 1)
            row.addWidget(blocks_panel, 1)
            root.addLayout(row)
        else:
            self.map.setMinimumHeight(300)
            self.map_panel.body.addWidget(self.map, 1)
            row = QHBoxLayout()
            row.setSpacing(16)
            row.addWidget(funnel_panel, 1)
            row.addWidget(self.map_panel, 1)
            root.addLayout(row)

        self.upcoming = EventList(overdue=False, empty_text="今後60日の予定はありません。")
        self.overdue = EventList(overdue=True, empty_text="日程を過ぎた未実施の予定はありません。")
        upcoming_panel = Panel("今後60日の予定")
        self.upcoming_count = _label("", "badgeUpcoming")
        upcoming_panel.header.insertWidget(1, self.upcoming_count)
        upcoming_panel.body.addWidget(self.upcoming)
        upcoming_panel.body.addStretch(1)
        overdue_panel = Panel("日程を過ぎた未実施の予定")
        self.overdue_count = _label("", "badgeOverdue")
        overdue_panel.header.insertWidget(1, self.overdue_count)
        self.overdue_hint = _label("実施済にするか日程を更新してください。", "overdueHint", wrap=True)
        overdue_panel.body.addWidget(self.overdue_hint)
        overdue_panel.body.addWidget(self.overdue)
        overdue_panel.body.addStretch(1)
        events_row = QHBoxLayout()
        events_row.setSpacing(16)
        events_row.addWidget(upcoming_panel, 1)
        events_row.addWidget(overdue_panel, 1)
        root.addLayout(events_row)
        root.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(content)
        self.scroll_area = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _header(self) -> QHBoxLayout:
        title = _label("ダッシュボード", "pageTitle")
        self.subtitle = _label("", "subtitle")
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(self.subtitle)
        self.status_label = _label("", "muted")
        header = QHBoxLayout()
        header.addLayout(titles, 1)
        header.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addSpacing(12)
        header.addWidget(_label("年度", "muted"), 0, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.fy_combo, 0, Qt.AlignmentFlag.AlignBottom)
        return header

    # -- data ----------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def fiscal_year(self) -> int:
        return int(self.fy_combo.currentData())

    def refresh(self) -> None:
        """Load the chosen year off the GUI thread; a newer request supersedes an older one."""
        self._generation += 1
        generation = self._generation
        ctx, fy, today = self.ctx, self.fiscal_year(), self.today()
        self.status_label.setText("集計しています…")
        ops.Operation(
            self, lambda _progress: dashboard_service.dashboard(ctx, fy, today),
            label="ダッシュボードを集計しています…", show_progress=False,
        ).success(lambda board: self._loaded(generation, board)).run()

    def _loaded(self, generation: int, board: Dashboard) -> None:
        if generation != self._generation:
            return
        self.apply(board)
        self.loaded.emit()

    def apply(self, board: Dashboard) -> None:
        """Show ``board`` (also used directly by tests and screenshots)."""
        self.board = board
        self.status_label.setText("")
        scope = "全国" if board.is_secretariat else board.org_name
        self.subtitle.setText(f"{scope}｜{fy_label(board.fiscal_year)}｜{date_label(board.today)}現在")
        for card in board.cards:
            if card.code in self.cards:
                self.cards[card.code].set_card(card, national=board.is_secretariat)

        self.funnel.set_funnel(board.funnel)
        self.funnel_note.setText(f"{fy_short(board.fiscal_year)}・" + ("全フォーラム" if board.is_secretariat else board.org_name))
        if any(s.count for s in board.funnel.steps):
            self.stall_label.setText(board.funnel.stall_text)
            self.stall_label.setStyleSheet("color: #9c4221;")
        else:
            self.stall_label.setText("この年度のマッチングはまだありません。")
            self.stall_label.setStyleSheet(f"color: {MUTED.name()};")
        self.stall_label.setVisible(bool(self.stall_label.text()))

        names = board.prefecture_names
        if board.is_secretariat:
            for code, rates in (("mayors_council_rate", board.mayors_rate_by_prefecture),
                                ("admin_member_rate", board.admin_rate_by_prefecture)):
                legend = "参画率" if code == "mayors_council_rate" else "加入率"
                self.maps[code].set_data(
                    rates, dashboard_service.rate_class, dashboard_service.RATE_CLASSES, names=names,
                    legend_title=legend, value_text=lambda v: f"{v * 100:.1f}%", palette=GREEN_BLUES,
                )
            self.block_bars.set_rows(board.supported_by_block)
        else:
            self.map.set_prefectures(board.map_prefectures)
            self.map.set_data(
                board.supported_by_prefecture, dashboard_service.support_class, dashboard_service.SUPPORT_CLASSES,
                names=names, legend_title="支援自治体数", value_text=lambda v: f"{v:.0f}団体", palette=BLUES,
            )
            # All Japan (a national forum) needs more room than a block to be legible.
            self.map.setMinimumHeight(300 if board.block_name else 440)
            where = f"{board.block_name}ブロック" if board.block_name else "都道府県別"
            self.map_panel.title_label.setText(f"{where}の支援自治体数（{fy_short(board.fiscal_year)}）")

        show_owner = board.is_secretariat
        self.upcoming.set_events(board.upcoming, board.today, show_owner=show_owner)
        self.overdue.set_events(board.overdue, board.today, show_owner=show_owner)
        self.upcoming_count.setText(f"{len(board.upcoming):,}件")
        self.upcoming_count.setVisible(bool(board.upcoming))
        self.overdue_count.setText(f"{len(board.overdue):,}件")
        self.overdue_count.setVisible(bool(board.overdue))
        self.overdue_hint.setVisible(bool(board.overdue))
