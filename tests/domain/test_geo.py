"""The prefecture maps' projection: bounds, fitting into a box, y up (PDF) and down (widgets), the inset."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcim_desktop.domain.geo import (
    INSET_MIN_SIDE,
    INSET_SCALE,
    OKINAWA,
    Box,
    GeoBounds,
    Projection,
    prefecture_outlines,
    top_left_inset,
)

JAPAN = GeoBounds(129.0, 30.0, 146.0, 46.0)


def test_bounds_of_points_and_union() -> None:
    b = GeoBounds.of([(135.0, 35.0), (133.5, 34.0), (136.0, 33.0)])
    assert b == GeoBounds(133.5, 33.0, 136.0, 35.0)
    assert b.union(GeoBounds(130.0, 34.0, 134.0, 40.0)) == GeoBounds(130.0, 33.0, 136.0, 40.0)
    assert GeoBounds.of(p for p in [(1.0, 2.0)]) == GeoBounds(1.0, 2.0, 1.0, 2.0)
    with pytest.raises(ValueError):
        GeoBounds.of([])


def test_width_is_corrected_by_the_cosine_of_the_mid_latitude() -> None:
    b = GeoBounds(130.0, 30.0, 140.0, 50.0)
    assert b.mid_latitude == 40.0
    assert b.x_factor == pytest.approx(math.cos(math.radians(40.0)))
    assert b.width == pytest.approx(10.0 * math.cos(math.radians(40.0)))
    assert b.height == 20.0


def test_fit_with_y_up_puts_the_corners_on_the_fitted_box() -> None:
    box = Box(10.0, 20.0, 400.0, 300.0)
    p = Projection.fit(JAPAN, box)
    f = p.fitted
    assert p(JAPAN.west, JAPAN.south) == pytest.approx((f.x, f.y))
    assert p(JAPAN.east, JAPAN.north) == pytest.approx((f.x + f.width, f.y + f.height))
    # Japan is taller than wide here: it fills the height and is centred across.
    assert f.height == pytest.approx(box.height)
    assert f.width < box.width
    assert f.x - box.x == pytest.approx(box.x + box.width - (f.x + f.width))
    assert f.width / f.height == pytest.approx(JAPAN.width / JAPAN.height)


def test_fit_with_y_down_puts_the_north_at_the_top() -> None:
    box = Box(0.0, 0.0, 300.0, 600.0)
    p = Projection.fit(JAPAN, box, y_down=True)
    f = p.fitted
    assert p(JAPAN.west, JAPAN.north) == pytest.approx((f.x, f.y))
    assert p(JAPAN.east, JAPAN.south) == pytest.approx((f.x + f.width, f.y + f.height))
    # Wider than the box allows: it fills the width and is centred down.
    assert f.width == pytest.approx(box.width)
    assert f.y - box.y == pytest.approx(box.y + box.height - (f.y + f.height))
    up = Projection.fit(JAPAN, box)
    assert up.fitted == f and up.scale == p.scale


def test_boost_enlarges_around_the_centre() -> None:
    box = Box(0.0, 0.0, 200.0, 200.0)
    plain = Projection.fit(JAPAN, box)
    boosted = Projection.fit(JAPAN, box, boost=1.5)
    assert boosted.scale == pytest.approx(plain.scale * 1.5)
    centre = (box.x + box.width / 2, box.y + box.height / 2)
    f = boosted.fitted
    assert (f.x + f.width / 2, f.y + f.height / 2) == pytest.approx(centre)


@pytest.mark.parametrize("y_down", [False, True])
def test_affine_coefficients_map_as_the_projection_does(y_down: bool) -> None:
    p = Projection.fit(JAPAN, Box(5.0, 7.0, 320.0, 240.0), y_down=y_down)
    m11, m22, dx, dy = p.affine()
    for lon, lat in [(135.5, 34.7), (141.35, 43.06), (JAPAN.west, JAPAN.north)]:
        assert (m11 * lon + dx, m22 * lat + dy) == pytest.approx(p(lon, lat))
    assert p.project_all([(135.5, 34.7)]) == [p(135.5, 34.7)]


@pytest.mark.parametrize("y_down", [False, True])
def test_the_inset_sits_at_the_top_left_of_the_map(y_down: bool) -> None:
    main = Projection.fit(JAPAN, Box(0.0, 0.0, 500.0, 400.0), y_down=y_down)
    okinawa = GeoBounds(127.6, 26.0, 128.3, 26.9)
    inset = top_left_inset(main, okinawa)
    f, box = main.fitted, inset.box
    assert box.x == f.x
    if y_down:
        assert box.y == f.y
    else:
        assert box.y + box.height == pytest.approx(f.y + f.height)
    assert box.width >= INSET_MIN_SIDE and box.height >= INSET_MIN_SIDE
    # Drawn larger than the main map, and inside its frame.
    assert inset.projection.scale == pytest.approx(main.scale * INSET_SCALE)
    for lon, lat in [(okinawa.west, okinawa.south), (okinawa.east, okinawa.north)]:
        x, y = inset.projection(lon, lat)
        assert box.x < x < box.x + box.width and box.y < y < box.y + box.height


def test_a_tiny_area_gets_an_inset_of_the_minimum_size() -> None:
    main = Projection.fit(JAPAN, Box(0.0, 0.0, 50.0, 50.0))
    inset = top_left_inset(main, GeoBounds(127.0, 26.0, 127.01, 26.01))
    assert (inset.box.width, inset.box.height) == (INSET_MIN_SIDE, INSET_MIN_SIDE)


@given(
    west=st.floats(-170, 170), south=st.floats(-80, 70),
    span_lon=st.floats(0.01, 10), span_lat=st.floats(0.01, 10),
    x=st.floats(-1000, 1000), y=st.floats(-1000, 1000),
    width=st.floats(1, 2000), height=st.floats(1, 2000), y_down=st.booleans(),
)
def test_fitted_bounds_stay_inside_the_box(west: float, south: float, span_lon: float, span_lat: float,
                                           x: float, y: float, width: float, height: float, y_down: bool) -> None:
    bounds = GeoBounds(west, south, west + span_lon, south + span_lat)
    box = Box(x, y, width, height)
    p = Projection.fit(bounds, box, y_down=y_down)
    tolerance = 1e-6 * (1 + abs(x) + abs(y) + width + height)
    for lon in (bounds.west, bounds.east):
        for lat in (bounds.south, bounds.north):
            px, py = p(lon, lat)
            assert x - tolerance <= px <= x + width + tolerance
            assert y - tolerance <= py <= y + height + tolerance
    # One side fills the box.
    assert math.isclose(p.fitted.width, width, rel_tol=1e-9) or math.isclose(p.fitted.height, height, rel_tol=1e-9)


def test_the_bundled_outlines() -> None:
    outlines = prefecture_outlines()
    assert sorted(outlines) == [f"{n:02d}" for n in range(1, 48)]
    everything = GeoBounds.of(p for points in outlines.values() for p in points)
    assert 122 < everything.west < everything.east < 154 and 20 < everything.south < everything.north < 46
    assert GeoBounds.of(outlines[OKINAWA]).north < 28.5
    assert all(len(points) >= 3 for points in outlines.values())
    assert prefecture_outlines() is outlines  # read once
