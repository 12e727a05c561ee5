"""A choropleth map of Japan's prefectures (都道府県別の塗り分け地図) with a legend and tooltips.

Outlines come from ``resources/prefecture_outlines.json`` ([longitude, latitude] per point). They
are turned into paths once, in longitude/−latitude space; the equirectangular projection's
cos(latitude) correction and the fit to the widget are one transform per layout, and the
transformed paths are cached until the widget is resized, so a paint only fills 47 paths.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QToolTip, QWidget

from jcim_desktop.paths import resource_path

OUTLINE_FILE = "prefecture_outlines.json"
OKINAWA = "47"
ALL_PREFECTURES: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 48))

# Sequential palettes, light to dark (ColorBrewer Blues and YlGnBu, 7 steps).
BLUES: tuple[str, ...] = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
GREEN_BLUES: tuple[str, ...] = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
NO_DATA = QColor("#e3e6ea")
BORDER = QColor("#ffffff")
HOVER_BORDER = QColor("#1f3a5f")
INSET_BORDER = QColor("#9aa5b1")
TEXT = QColor("#1f2933")

INSET_SCALE = 1.6
"""Okinawa's inset is drawn larger than the main islands (as printed maps do), so it can be read."""


@functools.cache
def _outline_paths() -> dict[str, QPainterPath]:
    """pref_code → closed outline in (longitude, −latitude) space; read once per process."""
    with open(resource_path(OUTLINE_FILE), encoding="utf-8") as f:
        raw = json.load(f)["prefectures"]
    paths: dict[str, QPainterPath] = {}
    for code, points in raw.items():
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(float(lon), -float(lat)) for lon, lat in points]))
        path.closeSubpath()
        paths[code] = path
    return paths


_LABEL_ASPECT = 0.55
"""Labels are about twice as wide as tall: horizontal room is measured at this weight."""


@functools.cache
def _outline_points(code: str) -> tuple[tuple[float, float], ...]:
    """The outline of ``code`` in the label frame: x scaled by cos(latitude) and the label aspect."""
    polygon = _outline_paths()[code].toFillPolygon()
    k = math.cos(math.radians(-polygon.boundingRect().center().y())) * _LABEL_ASPECT
    return tuple((polygon.at(i).x() * k, polygon.at(i).y()) for i in range(polygon.size()))


def _edge_distance(points: Sequence[tuple[float, float]], x: float, y: float, enough: float) -> float:
    """Distance from (x, y) to the outline; stops early once it is below ``enough``."""
    best = math.inf
    limit = enough * enough if enough > 0 else -1.0
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length))
        px, py = ax + t * dx - x, ay + t * dy - y
        d = px * px + py * py
        if d < best:
            best = d
            if best <= limit:
                break
    return math.sqrt(best)


@functools.cache
def _label_point(code: str) -> QPointF:
    """Where the name goes: the point inside the outline farthest from its edges (a grid, refined twice)."""
    path = _outline_paths()[code]
    points = _outline_points(code)
    k = math.cos(math.radians(-path.boundingRect().center().y())) * _LABEL_ASPECT
    box = path.boundingRect()
    width, height = box.width() * k, box.height()
    best = (-1.0, box.center().x() * k, box.center().y())
    cells = 12
    span_x, span_y = width, height
    cx, cy = best[1], best[2]
    for _round in range(3):
        for i in range(cells + 1):
            for j in range(cells + 1):
                x = cx - span_x / 2 + span_x * i / cells
                y = cy - span_y / 2 + span_y * j / cells
                if not path.contains(QPointF(x / k, y)):
                    continue
                d = _edge_distance(points, x, y, best[0])
                if d > best[0]:
                    best = (d, x, y)
        cx, cy = best[1], best[2]
        span_x, span_y = span_x * 2.5 / cells, span_y * 2.5 / cells
    return QPointF(best[1] / k, best[2])


def _projection(geo: QRectF, target: QRectF, scale_boost: float = 1.0) -> QTransform:
    """Fit ``geo`` (longitude/−latitude) into ``target``, x corrected by cos(mid-latitude), centred."""
    k = math.cos(math.radians(-geo.center().y()))
    width, height = geo.width() * k, geo.height()
    scale = min(target.width() / width, target.height() / height) * scale_boost
    ox = target.left() + (target.width() - width * scale) / 2
    oy = target.top() + (target.height() - height * scale) / 2
    return QTransform(k * scale, 0, 0, scale, ox - geo.left() * k * scale, oy - geo.top() * scale)


def _short_name(name: str) -> str:
    """広島県 → 広島 for labels on the map (北海道 stays whole)."""
    return name[:-1] if len(name) > 2 and name[-1] in "都府県" else name


def _luminance(color: QColor) -> float:
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()


class PrefectureMap(QWidget):
    """Prefectures filled by the class of a value, with a legend and a tooltip per prefecture.

    ``set_prefectures(codes)`` limits the map to some prefectures (a forum's block; their names
    and values are written on the map) or, with None, shows all Japan with Okinawa in an inset
    at the top left. ``set_data(values, classes, labels)``: ``classes`` gives each prefecture's
    class label (a mapping, or a function of the value); ``labels`` are the legend's classes,
    lowest first, which also pick the colours of the palette.
    """

    def __init__(self, parent: QWidget | None = None, *, prefectures: Iterable[str] | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(260, 220))
        self._shown: tuple[str, ...] = ALL_PREFECTURES
        self._values: dict[str, float] = {}
        self._counts = True
        self._classes: dict[str, str] = {}
        self._labels: tuple[str, ...] = ()
        self._colors: dict[str, QColor] = {}
        self._names: dict[str, str] = {}
        self._legend_title = ""
        self._value_text: Callable[[float], str] = self._default_value_text
        self._palette: Sequence[str] = BLUES
        self._hover: str | None = None
        self._mapped: dict[str, QPainterPath] = {}
        self._labels_at: dict[str, QPointF] = {}
        self._inset: QRectF | None = None
        self._legend_rect = QRectF()
        self._dirty = True
        self.set_prefectures(prefectures)

    # -- data ----------------------------------------------------------------------------

    def set_prefectures(self, codes: Iterable[str] | None) -> None:
        """Show only ``codes`` (in this order), or all Japan with None."""
        known = _outline_paths()
        chosen = tuple(c for c in codes if c in known) if codes is not None else ()
        self._shown = chosen or ALL_PREFECTURES
        self._invalidate()

    def set_data(
        self,
        values: Mapping[str, float | int],
        classes: Mapping[str, str] | Callable[[float], str],
        labels: Sequence[str],
        *,
        names: Mapping[str, str] | None = None,
        legend_title: str = "",
        value_text: Callable[[float], str] | None = None,
        palette: Sequence[str] | None = None,
    ) -> None:
        self._values = {code: float(v) for code, v in values.items()}
        self._counts = all(isinstance(v, int) for v in values.values())
        if callable(classes):
            self._classes = {code: classes(v) for code, v in self._values.items()}
        else:
            self._classes = dict(classes)
        self._labels = tuple(labels)
        if names is not None:
            self._names = dict(names)
        self._legend_title = legend_title
        self._value_text = value_text or self._default_value_text
        self._palette = palette or self._palette
        self._colors = self._class_colors()
        self._invalidate()

    def _class_colors(self) -> dict[str, QColor]:
        n = len(self._labels)
        steps = len(self._palette)
        if n == 0:
            return {}
        if n == 1:
            return {self._labels[0]: QColor(self._palette[steps // 2])}
        return {label: QColor(self._palette[round(i * (steps - 1) / (n - 1))]) for i, label in enumerate(self._labels)}

    def _default_value_text(self, value: float) -> str:
        """Counts as numbers; fractions (rates) as percentages."""
        return f"{value:,.0f}" if self._counts else f"{value:.1%}"

    def shown_prefectures(self) -> tuple[str, ...]:
        return self._shown

    def values(self) -> dict[str, float]:
        return dict(self._values)

    def class_of(self, code: str) -> str | None:
        return self._classes.get(code)

    def color_of(self, code: str) -> QColor:
        """The fill of a prefecture: its class's colour, or grey without data."""
        cls = self._classes.get(code)
        return QColor(self._colors[cls]) if cls in self._colors else QColor(NO_DATA)

    def name_of(self, code: str) -> str:
        return self._names.get(code, code)

    def legend_labels(self) -> tuple[str, ...]:
        return self._labels

    def tooltip_text(self, code: str) -> str:
        name = self.name_of(code)
        if code not in self._values:
            return f"{name}\nデータなし"
        line = f"{self._legend_title}：" if self._legend_title else ""
        cls = self._classes.get(code)
        suffix = f"（{cls}）" if cls else ""
        return f"{name}\n{line}{self._value_text(self._values[code])}{suffix}"

    # -- geometry ------------------------------------------------------------------------

    @property
    def all_japan(self) -> bool:
        return len(self._shown) > 1 and OKINAWA in self._shown and len(self._shown) >= 40

    @property
    def shows_names(self) -> bool:
        return len(self._shown) <= 12

    def _invalidate(self) -> None:
        self._dirty = True
        self.update()

    def _legend_size(self) -> QSize:
        if not self._labels:
            return QSize(0, 0)
        metrics = QFontMetricsF(self._legend_font())
        row = max(metrics.height(), 14.0) + 4
        width = max([metrics.horizontalAdvance(t) for t in self._labels] + [0.0]) + 14 + 8 + 16
        title_h = 0.0
        if self._legend_title:
            bold = QFont(self._legend_font())
            bold.setBold(True)
            width = max(width, QFontMetricsF(bold).horizontalAdvance(self._legend_title) + 16)
            title_h = row + 2
        return QSize(math.ceil(width), math.ceil(title_h + row * len(self._labels) + 10))

    def _legend_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 8.0))
        return font

    def _layout(self) -> None:
        self._dirty = False
        paths = _outline_paths()
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        legend = self._legend_size()
        self._inset = None
        main = [c for c in self._shown if not (self.all_japan and c == OKINAWA)]
        geo = QRectF()
        for code in main:
            geo = geo.united(paths[code].boundingRect())
        if self.all_japan:
            # Legend over the Pacific at the bottom right; the map takes the whole area.
            map_area = area
            transform = _projection(geo, map_area)
            fitted = transform.mapRect(geo)
            self._legend_rect = QRectF(
                min(area.right(), fitted.right()) - legend.width(),
                min(area.bottom(), fitted.bottom()) - legend.height(),
                legend.width(), legend.height(),
            )
        else:
            # A block: the legend in a column on the right, the map fitted beside it.
            map_area = area.adjusted(0, 0, -(legend.width() + 12 if legend.width() else 0), 0)
            transform = _projection(geo, map_area)
            fitted = transform.mapRect(geo)
            self._legend_rect = QRectF(
                map_area.right() + 12, area.bottom() - legend.height(), legend.width(), legend.height()
            )
        self._mapped = {code: transform.map(paths[code]) for code in main}
        # Names are written only on a block's map; finding their places costs a few ms each.
        self._labels_at = {code: transform.map(_label_point(code)) for code in main} if self.shows_names else {}
        if self.all_japan:
            # Okinawa in a box at the top left (over the Sea of Japan), as Japanese maps place it.
            scale = transform.m22()
            okinawa = paths[OKINAWA].boundingRect()
            k = math.cos(math.radians(-okinawa.center().y()))
            pad = 0.35 * scale * INSET_SCALE
            w = okinawa.width() * k * scale * INSET_SCALE + 2 * pad
            h = okinawa.height() * scale * INSET_SCALE + 2 * pad
            box = QRectF(fitted.left(), fitted.top(), max(w, 34.0), max(h, 34.0))
            self._inset = box
            inner = box.adjusted(pad, pad, -pad, -pad)
            inset_transform = _projection(okinawa, inner)
            self._mapped[OKINAWA] = inset_transform.map(paths[OKINAWA])
            if self.shows_names:
                self._labels_at[OKINAWA] = inset_transform.map(_label_point(OKINAWA))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._dirty = True
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(520, 340)

    def prefecture_at(self, pos: QPointF) -> str | None:
        if self._dirty:
            self._layout()
        for code, path in self._mapped.items():
            if path.boundingRect().contains(pos) and path.contains(pos):
                return code
        return None

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._dirty:
            self._layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._inset is not None:
            painter.setPen(QPen(INSET_BORDER, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._inset)
        border = QPen(BORDER, 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        for code, path in self._mapped.items():
            painter.setBrush(self.color_of(code))
            painter.drawPath(path)
        if self._hover in self._mapped:
            hover = QPen(HOVER_BORDER, 2.0)
            painter.setPen(hover)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._mapped[self._hover])
        if self.shows_names:
            self._paint_names(painter)
        self._paint_legend(painter)
        painter.end()

    def _paint_names(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 8.0))
        bold = QFont(font)
        bold.setBold(True)
        metrics = QFontMetricsF(font)
        for code, point in self._labels_at.items():
            fill = self.color_of(code)
            painter.setPen(QColor("#ffffff") if _luminance(fill) < 0.5 else TEXT)
            name = _short_name(self.name_of(code))
            value = self._value_text(self._values[code]) if code in self._values else ""
            line = metrics.height()
            half = max(metrics.horizontalAdvance(name), metrics.horizontalAdvance(value)) / 2 + 2
            x = min(max(point.x(), half + 2), self.width() - half - 2)
            point = QPointF(x, point.y())
            top = point.y() - (line if value else line / 2)
            painter.setFont(font)
            painter.drawText(QRectF(point.x() - 60, top, 120, line), Qt.AlignmentFlag.AlignCenter, name)
            if value:
                painter.setFont(bold)
                painter.drawText(QRectF(point.x() - 60, top + line, 120, line), Qt.AlignmentFlag.AlignCenter, value)

    def _paint_legend(self, painter: QPainter) -> None:
        if not self._labels or self._legend_rect.isEmpty():
            return
        rect = self._legend_rect
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(rect, 4, 4)
        font = self._legend_font()
        metrics = QFontMetricsF(font)
        row = max(metrics.height(), 14.0) + 4
        x, y = rect.left() + 8, rect.top() + 5
        if self._legend_title:
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(TEXT)
            painter.drawText(QRectF(x, y, rect.width() - 12, row), Qt.AlignmentFlag.AlignVCenter, self._legend_title)
            y += row + 2
        painter.setFont(font)
        # Highest class on top, as a legend of a sequential scale reads.
        for label in reversed(self._labels):
            swatch = QRectF(x, y + (row - 14) / 2, 14, 14)
            painter.setPen(QPen(QColor("#b8c0c8"), 1))
            painter.setBrush(self._colors[label])
            painter.drawRect(swatch)
            painter.setPen(TEXT)
            painter.drawText(QRectF(x + 22, y, rect.width() - 30, row), Qt.AlignmentFlag.AlignVCenter, label)
            y += row

    # -- interaction ---------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        code = self.prefecture_at(event.position())
        if code != self._hover:
            self._hover = code
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            code = self.prefecture_at(QPointF(event.pos()))
            if code is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(code), self)
            return True
        return super().event(event)
