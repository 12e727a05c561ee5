"""The map projection of the prefecture maps (都道府県別の塗り分け地図), in plain arithmetic.

The window's map (``ui.widgets.japan_map``) and the PDF map (``reports.pdf.participation``) draw
the outlines of ``resources/prefecture_outlines.json`` the same way: equirectangular, x corrected
by cos(mid-latitude) of what is shown, scaled to fit a box and centred in it, with Okinawa in an
enlarged inset at the top left of the map (over the Sea of Japan), as Japanese maps place it.

Points are ``(longitude, latitude)`` in degrees. A ``Box`` is ``x, y, width, height`` where
``(x, y)`` is the corner with the smallest coordinates: the bottom left when y points up (PDF),
the top left when it points down (a widget, ``y_down=True``).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from jcim_desktop.paths import resource_path

Point = tuple[float, float]
"""(longitude, latitude) in degrees, or (x, y) once projected."""

OUTLINE_FILE = "prefecture_outlines.json"
OKINAWA = "47"
INSET_SCALE = 1.6
"""Okinawa's inset is drawn larger than the main islands (as printed maps do), so it can be read."""
INSET_PADDING = 0.35
"""The inset's margin around Okinawa, in degrees of latitude (before the enlargement)."""
INSET_MIN_SIDE = 34.0
"""The inset box is never smaller than this on either side (points or pixels), so its label fits."""


@functools.cache
def prefecture_outlines() -> dict[str, tuple[Point, ...]]:
    """pref_code ("01"…"47") → outline points; read once per process."""
    with open(resource_path(OUTLINE_FILE), encoding="utf-8") as f:
        raw = json.load(f)["prefectures"]
    return {code: tuple((float(lon), float(lat)) for lon, lat in points) for code, points in raw.items()}


@dataclass(frozen=True)
class GeoBounds:
    """The longitude/latitude box around some points."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def of(cls, points: Iterable[Point]) -> GeoBounds:
        """The bounds of ``points``; ``ValueError`` if there are none."""
        pts = list(points)
        if not pts:
            raise ValueError("no points")
        lons = [lon for lon, _ in pts]
        lats = [lat for _, lat in pts]
        return cls(min(lons), min(lats), max(lons), max(lats))

    def union(self, other: GeoBounds) -> GeoBounds:
        return GeoBounds(min(self.west, other.west), min(self.south, other.south),
                         max(self.east, other.east), max(self.north, other.north))

    @property
    def mid_latitude(self) -> float:
        return (self.south + self.north) / 2

    @property
    def x_factor(self) -> float:
        """cos(mid-latitude): a degree of longitude is this many degrees of latitude long here."""
        return math.cos(math.radians(self.mid_latitude))

    @property
    def width(self) -> float:
        """East to west in degrees of latitude (corrected by ``x_factor``)."""
        return (self.east - self.west) * self.x_factor

    @property
    def height(self) -> float:
        return self.north - self.south


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude into a box: ``Projection.fit(bounds, box)``, then ``project(lon, lat)``.

    ``x = offset_x + lon * k * scale`` and ``y = offset_y ± lat * scale`` (minus when y points
    down), ``k`` being ``bounds.x_factor``. ``fitted`` is the box the bounds fill, centred in the
    box given. ``affine()`` gives the same mapping as the coefficients of a 2D transform.
    """

    k: float
    scale: float
    offset_x: float
    offset_y: float
    fitted: Box
    y_down: bool = False

    @classmethod
    def fit(cls, bounds: GeoBounds, box: Box, *, boost: float = 1.0, y_down: bool = False) -> Projection:
        """``bounds`` as large as fits in ``box`` (times ``boost``), centred in it."""
        k = bounds.x_factor
        geo_width, geo_height = bounds.width, bounds.height
        scale = min(box.width / geo_width, box.height / geo_height) * boost
        left = box.x + (box.width - geo_width * scale) / 2
        low = box.y + (box.height - geo_height * scale) / 2
        fitted = Box(left, low, geo_width * scale, geo_height * scale)
        if y_down:
            # The north edge at the top of the fitted box: y = low + (north - lat) * scale.
            return cls(k, scale, left - bounds.west * k * scale, low + bounds.north * scale, fitted, True)
        return cls(k, scale, left - bounds.west * k * scale, low - bounds.south * scale, fitted, False)

    def __call__(self, lon: float, lat: float) -> Point:
        if self.y_down:
            return self.offset_x + lon * self.k * self.scale, self.offset_y - lat * self.scale
        return self.offset_x + lon * self.k * self.scale, self.offset_y + lat * self.scale

    def project_all(self, points: Iterable[Point]) -> list[Point]:
        return [self(lon, lat) for lon, lat in points]

    def affine(self) -> tuple[float, float, float, float]:
        """``(m11, m22, dx, dy)``: ``x = m11 * lon + dx``, ``y = m22 * lat + dy`` (a Qt
        ``QTransform(m11, 0, 0, m22, dx, dy)`` applied to points in longitude/latitude)."""
        return self.k * self.scale, -self.scale if self.y_down else self.scale, self.offset_x, self.offset_y


@dataclass(frozen=True)
class Inset:
    """A small map in a frame: ``box`` is the frame, ``projection`` draws the area inside it."""

    box: Box
    projection: Projection


def top_left_inset(main: Projection, bounds: GeoBounds, *, enlarge: float = INSET_SCALE,
                   padding: float = INSET_PADDING, min_side: float = INSET_MIN_SIDE) -> Inset:
    """An inset of ``bounds`` (Okinawa) at the top left of the map ``main`` draws, ``enlarge``
    times the main map's scale (at least ``min_side`` on each side), ``padding`` degrees inside."""
    pad = padding * main.scale * enlarge
    width = max(bounds.width * main.scale * enlarge + 2 * pad, min_side)
    height = max(bounds.height * main.scale * enlarge + 2 * pad, min_side)
    fitted = main.fitted
    y = fitted.y if main.y_down else fitted.y + fitted.height - height
    box = Box(fitted.x, y, width, height)
    inner = Box(box.x + pad, box.y + pad, width - 2 * pad, height - 2 * pad)
    return Inset(box, Projection.fit(bounds, inner, y_down=main.y_down))
