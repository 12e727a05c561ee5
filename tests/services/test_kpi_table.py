"""The official KPI table and the per-org breakdown, from a tally of records made through services."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import chugoku_forum_year, held_event, secretariat_year, transfer
from jcim_desktop.domain.kpi import MATCHING_PARTS
from jcim_desktop.domain.kpi_rows import REGIONAL_FORUMS_HELD, SUPPORTED_DISTINCT, SUPPORTED_GROSS
from jcim_desktop.services import records
from jcim_desktop.services.kpi_table import by_org_table, official_table
from jcim_desktop.services.tally import tally

FY = 2024
D = dt.date


@pytest.fixture
def year(forum, secretariat):
    """中国フォーラム's year, sent to the secretariat, which adds 革新的技術フォーラム's and a committee's."""
    chugoku_forum_year(forum)
    transfer(forum, secretariat)
    secretariat_year(secretariat)
    records.create(secretariat, "support_activities", {"kind": "consultation", "on": "2024-12-01", "country": "VN"},
                   owner="overseas")
    held_event(secretariat, "市区町村長会議 総会", D(2025, 1, 20), (), event_type="mayors_council_meeting", forum=False,
               owner="mayors_council")
    return tally(secretariat, FY)


def _row(rows, section, term):
    hits = [r for r in rows if r.section == section and r.term == term]
    assert len(hits) == 1, (section, term)
    return hits[0]


def test_official_table_has_the_three_sections_in_order(year):
    rows = official_table(year)
    assert [r.term for r in rows if r.is_heading] == ["total", "national_forums", "regional_forums"]
    assert all(r.indent == 0 for r in rows if r.is_heading)
    # The printed (Japanese-only) documents read the official wording from the rows.
    assert [r.label for r in rows if r.is_heading] == ["総合計", "全国フォーラム小計", "地方フォーラム小計"]


def test_total_section_values_targets_and_achievement(year):
    rows = official_table(year)
    lg = _row(rows, "total", SUPPORTED_GROSS)
    # 中国: 福山・広島・尾道・呉 (4); 革新的技術: 福山・札幌 (2) → 延べ 6, 実数 5.
    assert (lg.value, lg.target, lg.kpi) == (6, 300, "supported_municipalities")
    assert lg.achievement == pytest.approx(6 / 300)
    assert lg.label == "支援自治体数（延べ）" and lg.measured
    distinct = _row(rows, "total", SUPPORTED_DISTINCT)
    assert distinct.value == 5 and distinct.indent == 2 and distinct.target is None and not distinct.measured
    assert distinct.label == "支援自治体数（実数）" and "1団体" in distinct.description
    assert _row(rows, "total", "supported_countries").value == 1
    assert _row(rows, "total", "forums_held").value == 2
    total = _row(rows, "total", "matching_total")
    assert (total.value, total.target, total.indent) == (4, 200, 1)
    assert total.achievement == pytest.approx(4 / 200)
    assert total.description
    parts = [r for r in rows if r.section == "total" and r.kpi in MATCHING_PARTS]
    assert [(r.term, r.value, r.indent) for r in parts] == [
        ("matching_considered", 2, 2), ("matching_established", 1, 2), ("field_trials", 1, 2), ("implemented", 0, 2)]
    assert [r.label for r in parts] == ["マッチング検討数", "マッチング成立数", "現場試行数", "社会実装数"]
    assert _row(rows, "total", "workshops").value == 1
    assert _row(rows, "total", "mayors_council_activities").value == 1


def test_rates_only_in_the_total_with_numerator_and_denominator(year):
    rows = official_table(year)
    mayors = _row(rows, "total", "mayors_council_rate")
    assert mayors.is_rate and (mayors.numerator, mayors.denominator) == (1, 1741)
    assert mayors.value == pytest.approx(round(1 / 1741, 4)) and mayors.target == pytest.approx(0.7)
    admin = _row(rows, "total", "admin_member_rate")
    assert admin.numerator == 2 and admin.target is None and admin.achievement is None
    for section in ("national_forums", "regional_forums"):
        assert not [r for r in rows if r.section == section and r.is_rate]


def test_subtotal_sections_have_no_targets_and_their_own_labels(year):
    rows = official_table(year)
    assert _row(rows, "national_forums", SUPPORTED_GROSS).value == 2
    assert _row(rows, "national_forums", "forums_held").value == 1
    assert _row(rows, "national_forums", "supported_countries").value == 1
    regional_forums = _row(rows, "regional_forums", REGIONAL_FORUMS_HELD)
    assert regional_forums.value == 1 and regional_forums.label == "地方フォーラム実施数"
    assert _row(rows, "regional_forums", SUPPORTED_GROSS).value == 4
    assert not [r for r in rows if r.section != "total" and r.term == SUPPORTED_DISTINCT]
    regional_parts = [r.value for r in rows if r.section == "regional_forums" and r.kpi in MATCHING_PARTS]
    assert regional_parts == [2, 1, 1, 0]
    for r in rows:
        if r.section != "total":
            assert r.target is None and r.achievement is None


def test_by_org_groups_subtotals_and_total_match_the_tally(year):
    columns, rows = by_org_table(year)
    codes = [c.kpi for c in columns]
    assert "matching_total" in codes and "mayors_council_rate" not in codes
    assert [r.group for r in rows if r.is_heading] == ["national_forums", "regional_forums", "others"]
    assert [r.label for r in rows if r.is_heading] == ["全国フォーラム", "地方フォーラム", "部会・事務局"]
    assert columns[0].label == "支援自治体数"
    by_org = {r.org: r for r in rows if r.kind == "org"}
    assert len(by_org) == 19
    assert by_org["chugoku"].label == "中国フォーラム"
    assert by_org["chugoku"].values["supported_municipalities"] == 4
    assert by_org["chugoku"].values["matching_total"] == 4
    assert by_org["innovative_tech"].values["forums_held"] == 1
    assert by_org["mayors_council"].values["mayors_council_activities"] == 1
    subtotals = {r.group: r for r in rows if r.kind == "subtotal"}
    assert {r.label for r in subtotals.values()} == {"全国フォーラム小計", "地方フォーラム小計", "部会・事務局 計"}
    total = rows[-1]
    assert total.kind == "total" and total.label == "総合計"
    for c in columns:
        entry = year["kpis"][c.kpi]
        assert total.values[c.kpi] == entry["total"]
        assert subtotals["national_forums"].values[c.kpi] == entry["national_forums"]
        assert subtotals["regional_forums"].values[c.kpi] == entry["regional_forums"]
    # Rows of a group come right after its heading, in the order of SYNC_FORMAT §1.
    regional = [r.org for r in rows if r.group == "regional_forums" and r.kind == "org"]
    assert regional[0] == "hokkaido" and regional[-1] == "okinawa"


def test_an_empty_year_gives_zeros_not_errors(secretariat):
    rows = official_table(tally(secretariat, 2030))
    assert all(r.value in (None, 0) for r in rows)
    assert all(r.achievement is None for r in rows)
    _, org_rows = by_org_table(tally(secretariat, 2030))
    assert all(v == 0 for r in org_rows for v in r.values.values())
