"""A choropleth map of Japan's prefectures (都道府県別の塗り分け地図) with a legend and tooltips.

The projection is :mod:`jcim_desktop.domain.geo`'s, the PDF map's own: outlines in longitude /
latitude become paths once; fitting them into the widget is one affine transform per layout
(``Projection.affine``), and the transformed paths are cached until the widget is resized, so a
paint only fills 47 paths. Okinawa sits in ``geo.top_left_inset`` when all Japan is shown.
"""

from __future__ import annotations

import functools
import itertools
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

from jcim_desktop.domain import geo
from jcim_desktop.ui import fmt, labels, palette

OKINAWA = geo.OKINAWA
ALL_PREFECTURES: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 48))

# Sequential palettes, light to dark (ColorBrewer Blues and YlGnBu, 7 steps).
BLUES: tuple[str, ...] = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
GREEN_BLUES: tuple[str, ...] = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
NO_DATA = QColor("#e3e6ea")
BORDER = QColor("#ffffff")
HOVER_BORDER = QColor("#1f3a5f")
INSET_BORDER = QColor("#9aa5b1")
TEXT = QColor(palette.TEXT)
LEGEND_MAY_TOUCH = 2
"""All Japan: the legend may sit over the Pacific while it touches no more prefectures than this."""


@functools.cache
def _outline_paths() -> dict[str, QPainterPath]:
    """pref_code → closed outline in (longitude, latitude) space; built once per process."""
    paths: dict[str, QPainterPath] = {}
    for code, points in geo.prefecture_outlines().items():
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(lon, lat) for lon, lat in points]))
        path.closeSubpath()
        paths[code] = path
    return paths


@functools.cache
def _bounds(code: str) -> geo.GeoBounds:
    return geo.GeoBounds.of(geo.prefecture_outlines()[code])


def _box(rect: QRectF) -> geo.Box:
    return geo.Box(rect.left(), rect.top(), rect.width(), rect.height())


def _rect(box: geo.Box) -> QRectF:
    return QRectF(box.x, box.y, box.width, box.height)


def _transform(projection: geo.Projection) -> QTransform:
    m11, m22, dx, dy = projection.affine()
    return QTransform(m11, 0, 0, m22, dx, dy)


_LABEL_ASPECT = 0.55
"""Labels are about twice as wide as tall: horizontal room is measured at this weight."""


def _label_factor(code: str) -> float:
    return _bounds(code).x_factor * _LABEL_ASPECT


@functools.cache
def _outline_points(code: str) -> tuple[tuple[float, float], ...]:
    """The outline of ``code`` in the label frame: longitude scaled by cos(latitude) and the label aspect."""
    k = _label_factor(code)
    return tuple((lon * k, lat) for lon, lat in geo.prefecture_outlines()[code])


def _edge_distance(points: Sequence[tuple[float, float]], x: float, y: float, enough: float) -> float:
    """Distance from (x, y) to the outline; stops early once it is below ``enough``."""
    best = math.inf
    limit = enough * enough if enough > 0 else -1.0
    for (ax, ay), (bx, by) in itertools.pairwise(points):
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
    """Where the name goes (longitude, latitude): the point inside the outline farthest from its
    edges (a grid, refined twice)."""
    path = _outline_paths()[code]
    points = _outline_points(code)
    k = _label_factor(code)
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


def _short_name(name: str) -> str:
    """広島県 → 広島 for labels on the map (北海道 stays whole; names in other languages stay whole)."""
    return name[:-1] if len(name) > 2 and name[-1] in "都府県" else name


def _luminance(color: QColor) -> float:
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()


class PrefectureMap(QWidget):
    """Prefectures filled by the class of a value, with a legend and a tooltip per prefecture.

    ``set_prefectures(codes)`` limits the map to some prefectures (a forum's block; their names
    and values are written on the map) or, with None, shows all Japan with Okinawa in an inset
    at the top left. ``set_data(values, classes, legend)``: ``classes`` gives each prefecture's
    class, an index into ``legend`` (a mapping, or a function of the value); ``legend`` holds
    the classes' texts, lowest first, and picks the colours of the palette.
    """

    def __init__(self, parent: QWidget | None = None, *, prefectures: Iterable[str] | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(260, 220))
        self._shown: tuple[str, ...] = ALL_PREFECTURES
        self._values: dict[str, float] = {}
        self._counts = True
        self._classes: dict[str, int] = {}
        self._labels: tuple[str, ...] = ()
        self._colors: list[QColor] = []
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
        classes: Mapping[str, int] | Callable[[float], int],
        legend: Sequence[str],
        *,
        legend_title: str = "",
        value_text: Callable[[float], str] | None = None,
        palette: Sequence[str] | None = None,
    ) -> None:
        """Colour the prefectures of ``values``; texts (``legend``, ``legend_title``,
        ``value_text``) come translated from the caller."""
        self._values = {code: float(v) for code, v in values.items()}
        self._counts = all(isinstance(v, int) for v in values.values())
        if callable(classes):
            self._classes = {code: classes(v) for code, v in self._values.items()}
        else:
            self._classes = dict(classes)
        self._labels = tuple(legend)
        self._legend_title = legend_title
        self._value_text = value_text or self._default_value_text
        self._palette = palette or self._palette
        self._colors = self._class_colors()
        self._invalidate()

    def _class_colors(self) -> list[QColor]:
        n = len(self._labels)
        steps = len(self._palette)
        if n == 0:
            return []
        if n == 1:
            return [QColor(self._palette[steps // 2])]
        return [QColor(self._palette[round(i * (steps - 1) / (n - 1))]) for i in range(n)]

    def _default_value_text(self, value: float) -> str:
        """Counts as numbers; fractions (rates) as percentages."""
        return fmt.number(value) if self._counts else fmt.percent(value)

    def shown_prefectures(self) -> tuple[str, ...]:
        return self._shown

    def values(self) -> dict[str, float]:
        return dict(self._values)

    def class_of(self, code: str) -> int | None:
        """The class (an index into the legend) of a prefecture; None without data."""
        return self._classes.get(code)

    def class_label(self, code: str) -> str | None:
        """The legend's text for the class of a prefecture."""
        cls = self._classes.get(code)
        return self._labels[cls] if cls is not None and 0 <= cls < len(self._labels) else None

    def color_of(self, code: str) -> QColor:
        """The fill of a prefecture: its class's colour, or grey without data."""
        cls = self._classes.get(code)
        return QColor(self._colors[cls]) if cls is not None and 0 <= cls < len(self._colors) else QColor(NO_DATA)

    def name_of(self, code: str) -> str:
        return labels.prefecture(code)

    def legend_labels(self) -> tuple[str, ...]:
        return self._labels

    def legend_rect(self) -> QRectF:
        """Where the legend is drawn (empty: no legend, or no room for it)."""
        if self._dirty:
            self._layout()
        return QRectF(self._legend_rect)

    def tooltip_text(self, code: str) -> str:
        name = self.name_of(code)
        if code not in self._values:
            return self.tr("{name}\nデータなし").format(name=name)
        value = self._value_text(self._values[code])
        cls = self.class_label(code) or ""
        if self._legend_title:
            return self.tr("{name}\n{legend}：{value}（{level}）").format(
                name=name, legend=self._legend_title, value=value, level=cls)
        return self.tr("{name}\n{value}（{level}）").format(name=name, value=value, level=cls)

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
        bounds = functools.reduce(geo.GeoBounds.union, (_bounds(c) for c in main))
        projection, self._legend_rect = self._placement(area, legend, bounds, [paths[c] for c in main])
        transform = _transform(projection)
        self._mapped = {code: transform.map(paths[code]) for code in main}
        # Names are written only on a block's map; finding their places costs a few ms each.
        self._labels_at = {code: transform.map(_label_point(code)) for code in main} if self.shows_names else {}
        if self.all_japan:
            # Okinawa in a box at the top left (over the Sea of Japan), as Japanese maps place it.
            inset = geo.top_left_inset(projection, _bounds(OKINAWA))
            self._inset = _rect(inset.box)
            inset_transform = _transform(inset.projection)
            self._mapped[OKINAWA] = inset_transform.map(paths[OKINAWA])
            if self.shows_names:
                self._labels_at[OKINAWA] = inset_transform.map(_label_point(OKINAWA))

    def _placement(self, area: QRectF, legend: QSize, bounds: geo.GeoBounds,
                   outlines: Sequence[QPainterPath]) -> tuple[geo.Projection, QRectF]:
        """Where the map and its legend go: all Japan with the legend over the Pacific at the
        bottom right if it touches at most ``LEGEND_MAY_TOUCH`` prefectures there; otherwise (and for a block) the legend
        beside or under the map, whichever leaves the map larger."""
        w, h = legend.width(), legend.height()
        if self.all_japan:
            projection = geo.Projection.fit(bounds, _box(area), y_down=True)
            fitted = _rect(projection.fitted)
            rect = QRectF(min(area.right(), fitted.right()) - w, min(area.bottom(), fitted.bottom()) - h, w, h)
            transform = _transform(projection)
            # A coast touching the legend's corner is fine; a region hidden under it is not.
            if sum(1 for outline in outlines if transform.map(outline).intersects(rect)) <= LEGEND_MAY_TOUCH:
                return projection, rect
        beside = area.adjusted(0, 0, -(w + 12 if w else 0), 0)
        below = area.adjusted(0, 0, 0, -(h + 8 if h else 0))
        fit_beside = geo.Projection.fit(bounds, _box(beside), y_down=True) if beside.width() > 0 else None
        fit_below = geo.Projection.fit(bounds, _box(below), y_down=True) if below.height() > 0 else None
        if fit_below is not None and (fit_beside is None or fit_below.scale > fit_beside.scale):
            return fit_below, QRectF(area.right() - w, area.bottom() - h, w, h)
        if fit_beside is None:
            return geo.Projection.fit(bounds, _box(area), y_down=True), QRectF()
        return fit_beside, QRectF(beside.right() + 12, area.bottom() - h, w, h)

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
        for cls in reversed(range(len(self._labels))):
            label = self._labels[cls]
            swatch = QRectF(x, y + (row - 14) / 2, 14, 14)
            painter.setPen(QPen(QColor("#b8c0c8"), 1))
            painter.setBrush(self._colors[cls])
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
