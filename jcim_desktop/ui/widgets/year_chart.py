"""A KPI by fiscal year as a bar chart, painted by hand (PySide6-Essentials has no QtCharts).

One bar per fiscal year: solid where the figure is official (a closed year or a published
figure), light and hatched where it is the live figure from the records; the year's target as a
short orange line across its bar; the figure above each bar; fiscal years below (``fmt.fy_short``).
Rates are shown as percentages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from jcim_desktop.services.history import YearFigure
from jcim_desktop.ui import fmt, palette

OFFICIAL = QColor(palette.ACCENT)
LIVE = QColor("#c9daf0")
LIVE_HATCH = QColor("#7fa6d6")
TARGET = QColor("#dd6b20")
GRID = QColor("#e3e8ef")
AXIS = QColor("#9aa5b1")
TEXT = QColor(palette.TEXT)
MUTED = QColor(palette.MUTED)


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^k) that divides ``span`` into about ``ticks`` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


class YearChart(QWidget):
    """Bars of one KPI's figures by fiscal year (see the module docstring)."""

    MIN_SLOT = 44

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: list[YearFigure] = []
        self.rate = False
        self.national = True
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(720, 300)

    def set_figures(self, figures: Sequence[YearFigure], *, rate: bool, national: bool = True) -> None:
        """Show ``figures`` (one per fiscal year, oldest first); ``rate``: percentages; ``national``
        False (a forum): live figures are only the forum's part, told without an achievement."""
        self.figures = list(figures)
        self.rate = rate
        self.national = national
        self.update()

    # -- what the chart says, as text (tool tips, tests) ----------------------------------------

    def figure_text(self, value: float) -> str:
        return fmt.percent(value) if self.rate else fmt.number(value)

    def value_labels(self) -> list[str]:
        """The figure written above each bar, oldest year first."""
        return [self.figure_text(f.total) for f in self.figures]

    def year_labels(self) -> list[str]:
        return [fmt.fy_short(f.fiscal_year) for f in self.figures]

    def describe(self, figure: YearFigure) -> str:
        """A bar's tool tip: the year, the figure, the target and whether it is official."""
        if figure.closed:
            state = self.tr("公表値（公式の数値）") if figure.source == "published" else self.tr("確定（公式の数値）")
        else:
            state = self.tr("集計中（記録から集計した現在の数値）")
        if figure.target is not None and not (self.national or figure.closed):
            return self.tr("{fiscal_year}: {value}　全国目標 {target}（参考）　{state}").format(
                fiscal_year=fmt.fy_short(figure.fiscal_year), value=self.figure_text(figure.total),
                target=self.figure_text(figure.target), state=state)
        if figure.target is None:
            return self.tr("{fiscal_year}: {value}　目標なし　{state}").format(
                fiscal_year=fmt.fy_short(figure.fiscal_year), value=self.figure_text(figure.total), state=state)
        achievement = figure.achievement
        return self.tr("{fiscal_year}: {value}　目標 {target}（達成率 {achievement}）　{state}").format(
            fiscal_year=fmt.fy_short(figure.fiscal_year), value=self.figure_text(figure.total),
            target=self.figure_text(figure.target),
            achievement="—" if achievement is None else fmt.percent(achievement), state=state)

    # -- geometry ---------------------------------------------------------------------------------

    def _scale(self) -> tuple[float, float]:
        """(axis maximum, tick step)."""
        highest = max([f.total for f in self.figures] + [f.target or 0.0 for f in self.figures] + [0.0])
        if self.rate:
            highest = max(highest, 0.1)  # at least 0–10%: a rate near 0 does not fill the chart
        elif highest <= 0:
            highest = 4.0
        step = nice_step(highest * 1.08)
        if not self.rate:
            step = max(step, 1.0)
        top = step * math.ceil(highest * 1.08 / step)
        return top, step

    def _plot(self, fonts: tuple[QFont, QFont, QFont]) -> tuple[QRectF, float, float]:
        """The plot rectangle (inside the axes), the axis maximum and the tick step."""
        small, bold, _ = fonts
        top, step = self._scale()
        metrics = QFontMetricsF(small)
        ticks = [self.figure_text(step * i) for i in range(int(round(top / step)) + 1)]
        left = max(metrics.horizontalAdvance(t) for t in ticks) + 12
        legend_h = metrics.height() + 10
        value_h = QFontMetricsF(bold).height() + 4
        bottom = metrics.height() + 10
        rect = QRectF(left, legend_h + value_h, max(self.width() - left - 8, 40),
                      max(self.height() - legend_h - value_h - bottom, 40))
        return rect, top, step

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.9, 7.5))
        bold = QFont(base)
        bold.setBold(True)
        return small, bold, base

    def _slot(self, plot: QRectF, index: int) -> QRectF:
        width = plot.width() / max(len(self.figures), 1)
        return QRectF(plot.left() + index * width, plot.top(), width, plot.height())

    # -- painting ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fonts = self._fonts()
        small, bold, base = fonts
        if not self.figures:
            painter.setPen(MUTED)
            painter.setFont(base)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.tr("表示できる年度がありません。記録を入力するか、過去の年度の公表値を入力してください。"))
            painter.end()
            return
        plot, top, step = self._plot(fonts)
        self._legend(painter, small)
        self._axes(painter, plot, top, step, small)

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * max(min(value / top, 1.0), 0.0)

        metrics = QFontMetricsF(small)
        year_labels = self.year_labels()
        year_font = QFont(small)
        widest = max(metrics.horizontalAdvance(label) for label in year_labels)
        slot_width = plot.width() / len(self.figures)
        if widest > slot_width - 4:
            year_font.setPointSizeF(max(small.pointSizeF() * (slot_width - 4) / widest, 6.0))
        for index, figure in enumerate(self.figures):
            slot = self._slot(plot, index)
            bar_w = min(slot.width() * 0.58, 64.0)
            bar = QRectF(slot.center().x() - bar_w / 2, y_of(figure.total), bar_w, plot.bottom() - y_of(figure.total))
            if figure.closed:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(OFFICIAL)
                painter.drawRect(bar)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(LIVE)
                painter.drawRect(bar)
                painter.setBrush(QBrush(LIVE_HATCH, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(bar)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(LIVE_HATCH, 1, Qt.PenStyle.DashLine))
                painter.drawRect(bar.adjusted(0.5, 0.5, -0.5, 0))
            label_top = bar.top()
            if figure.target is not None:
                y = y_of(figure.target)
                half = min(slot.width() * 0.42, bar_w / 2 + 10)
                painter.setPen(QPen(TARGET, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawLine(QPointF(slot.center().x() - half, y), QPointF(slot.center().x() + half, y))
                # The target's value beside its line, where the slot leaves room for it.
                target_text = self.figure_text(figure.target)
                text_left = slot.center().x() + half + 4
                if slot.right() - text_left >= metrics.horizontalAdvance(target_text) + 2:
                    painter.setFont(small)
                    painter.setPen(TARGET)
                    painter.drawText(QRectF(text_left, y - metrics.height() / 2, slot.right() - text_left,
                                            metrics.height()), Qt.AlignmentFlag.AlignVCenter, target_text)
                if abs(y - bar.top()) < QFontMetricsF(bold).height():
                    label_top = min(label_top, y)
            painter.setFont(bold)
            painter.setPen(TEXT)
            height = QFontMetricsF(bold).height()
            painter.drawText(QRectF(slot.left(), label_top - height - 2, slot.width(), height),
                             Qt.AlignmentFlag.AlignCenter, self.figure_text(figure.total))
            painter.setFont(year_font)
            painter.setPen(TEXT if figure.closed else MUTED)
            painter.drawText(QRectF(slot.left(), plot.bottom() + 4, slot.width(), metrics.height() + 4),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, year_labels[index])
        painter.end()

    def _axes(self, painter: QPainter, plot: QRectF, top: float, step: float, font: QFont) -> None:
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        for i in range(int(round(top / step)) + 1):
            value = step * i
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(AXIS if i == 0 else GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.figure_text(value))

    def _legend(self, painter: QPainter, font: QFont) -> None:
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        h = metrics.height()
        x, y = 4.0, 2.0
        for kind, text in (("official", self.tr("確定・公表値（公式）")), ("live", self.tr("集計中（記録から集計）")),
                           ("target", self.tr("目標"))):
            swatch = QRectF(x, y + h * 0.2, 14, h * 0.6)
            if kind == "official":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(OFFICIAL)
                painter.drawRect(swatch)
            elif kind == "live":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(LIVE)
                painter.drawRect(swatch)
                painter.setBrush(QBrush(LIVE_HATCH, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(swatch)
            else:
                painter.setPen(QPen(TARGET, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawLine(QPointF(swatch.left(), swatch.center().y()), QPointF(swatch.right(), swatch.center().y()))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(MUTED)
            width = metrics.horizontalAdvance(text)
            painter.drawText(QRectF(x + 20, y, width + 2, h), Qt.AlignmentFlag.AlignVCenter, text)
            x += 20 + width + 18

    # -- tool tips ------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.figures:
            plot, _, _ = self._plot(self._fonts())
            for index, figure in enumerate(self.figures):
                if self._slot(plot, index).adjusted(0, -plot.top(), 0, 30).contains(QPointF(event.pos())):
                    QToolTip.showText(event.globalPos(), self.describe(figure), self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)
