"""Membership as dated changes (SYNC_FORMAT §4 municipality_status, §5 rates): a change inside a
year counts from the year whose last day it is in force on, and never moves an earlier year.

The hand-worked scenario (広島県's municipalities; 1,741 is the denominator of both rates):

- 尾道市 has been in the mayors' council and a government member since 2023-04-01;
- 福山市 joins the mayors' council on 2024-10-01 and leaves it on 2025-06-01;
- 広島県 (a prefecture) is marked as taking part from 2023-04-01: a prefecture never counts.

  | fiscal year | status on   | mayors' council    | numerator |
  |-------------|-------------|--------------------|-----------|
  | FY2023      | 2024-03-31  | 尾道市             | 1         |
  | FY2024      | 2025-03-31  | 尾道市, 福山市     | 2         |
  | FY2025      | 2026-03-31  | 尾道市             | 1         |
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import code, transfer
from jcim_desktop.domain.orgs import SECRETARIAT
from jcim_desktop.errors import PermissionDenied, ValidationError
from jcim_desktop.services import master, records, reports
from jcim_desktop.services.tally import explain, tally

D = dt.date


@pytest.fixture
def scenario(secretariat):
    master.set_status(secretariat, code("尾道市"), mayors_council=True, admin_member=True, as_of=D(2023, 4, 1))
    master.set_status(secretariat, code("広島県"), mayors_council=True, admin_member=True, as_of=D(2023, 4, 1))
    master.set_status(secretariat, code("福山市"), mayors_council=True, as_of=D(2024, 10, 1))
    master.set_status(secretariat, code("福山市"), mayors_council=False, as_of=D(2025, 6, 1))
    return secretariat


def _mayors(ctx, fy):
    return tally(ctx, fy)["kpis"]["mayors_council_rate"]


def _explained_codes(ctx, fy, kpi="mayors_council_rate"):
    return sorted(r["lg_code"] for r in explain(ctx, fy, kpi)["records"])


def test_a_change_inside_a_year_counts_by_the_status_on_the_years_last_day(scenario):
    assert _mayors(scenario, 2023) == {"total": round(1 / 1741, 4), "numerator": 1, "denominator": 1741,
                                       "target": None}
    assert _mayors(scenario, 2024)["numerator"] == 2
    assert _mayors(scenario, 2024)["total"] == round(2 / 1741, 4)
    assert _mayors(scenario, 2025)["numerator"] == 1
    # The government membership never changed: 尾道市 alone, every year.
    assert [tally(scenario, fy)["kpis"]["admin_member_rate"]["numerator"] for fy in (2023, 2024, 2025)] == [1, 1, 1]


def test_explain_lists_exactly_the_municipalities_counted_that_year(scenario):
    assert _explained_codes(scenario, 2023) == [code("尾道市")]
    assert _explained_codes(scenario, 2024) == sorted([code("尾道市"), code("福山市")])
    assert _explained_codes(scenario, 2025) == [code("尾道市")]
    fy2024 = explain(scenario, 2024, "mayors_council_rate")
    assert fy2024["value"] == _mayors(scenario, 2024)["total"]
    # Each listed record is the change in force on 2025-03-31, dated from when it took effect.
    fukuyama = next(r for r in fy2024["records"] if r["lg_code"] == code("福山市"))
    assert fukuyama["date"] == "2024-10-01" and fukuyama["title"] == "広島県福山市"
    assert fukuyama["id"] == master.history(scenario, code("福山市"))[0].record_id
    assert code("広島県") not in _explained_codes(scenario, 2024, "admin_member_rate")


def test_rates_by_prefecture_and_block_follow_the_fiscal_year(scenario):
    hiroshima = {fy: master.rates_by_prefecture(scenario, fy)["34"] for fy in (2023, 2024, 2025)}
    assert [r.mayors_council for r in hiroshima.values()] == [1, 2, 1]
    assert [r.admin_members for r in hiroshima.values()] == [1, 1, 1]
    # The prefecture's own code is not one of its municipalities.
    assert hiroshima[2024].municipalities == len(scenario.registry.municipalities_of("34"))
    assert master.rates_by_block(scenario, 2024)["chugoku"].mayors_council == 2
    assert master.rates_by_block(scenario, 2023)["chugoku"].mayors_council == 1
    # Without a year: the status today (福山市 has left by now).
    assert master.rates_by_prefecture(scenario)["34"].mayors_council == 1
    assert master.rates_by_prefecture(scenario, day=D(2025, 1, 1))["34"].mayors_council == 2


def test_statuses_on_a_day(scenario):
    fukuyama = code("福山市")
    assert fukuyama not in master.statuses(scenario, D(2024, 9, 30))  # no record yet: counts as neither
    assert master.statuses(scenario, D(2024, 10, 1))[fukuyama] == (False, True)
    assert master.statuses(scenario, D(2025, 5, 31))[fukuyama] == (False, True)
    assert master.statuses(scenario, D(2025, 6, 1))[fukuyama] == (False, False)
    assert master.statuses(scenario)[fukuyama] == (False, False)


def test_fy2023_does_not_move_when_fy2024s_status_changes(scenario):
    """The issue's complaint: FY2023's 参画率 showed today's figure."""
    before = tally(scenario, 2023)["kpis"]
    master.set_status(scenario, code("尾道市"), mayors_council=False, as_of=D(2024, 6, 1))
    master.set_status(scenario, code("三原市"), mayors_council=True, admin_member=True, as_of=D(2024, 4, 1))
    master.set_status(scenario, code("呉市"), admin_member=True, as_of=D(2025, 3, 31))
    after = tally(scenario, 2023)["kpis"]
    for kpi in ("mayors_council_rate", "admin_member_rate"):
        assert after[kpi] == before[kpi]
    assert _explained_codes(scenario, 2023) == [code("尾道市")]
    # FY2024 did move: 尾道市 left, 三原市 joined; 福山市 is still in on 2025-03-31.
    assert _explained_codes(scenario, 2024) == sorted([code("三原市"), code("福山市")])
    assert tally(scenario, 2024)["kpis"]["admin_member_rate"]["numerator"] == 3  # 尾道市, 三原市, 呉市


def test_a_flag_not_given_keeps_the_value_in_force_on_that_day(secretariat):
    kure = code("呉市")
    master.set_status(secretariat, kure, admin_member=True, as_of=D(2024, 4, 1))
    master.set_status(secretariat, kure, mayors_council=True, as_of=D(2024, 10, 1))
    # A change between the two: from 2024-07-01 not a member; the later change stays as recorded.
    master.set_status(secretariat, kure, admin_member=False, as_of=D(2024, 7, 1))
    history = master.history(secretariat, kure)
    assert [(c.as_of, c.admin_member, c.mayors_council) for c in history] == [
        (D(2024, 4, 1), True, False),
        (D(2024, 7, 1), False, False),
        (D(2024, 10, 1), True, True),
    ]
    assert master.statuses(secretariat, D(2024, 8, 1))[kure] == (False, False)


def test_a_second_change_on_the_same_day_updates_that_days_record(secretariat):
    kure = code("呉市")
    first = master.set_status(secretariat, kure, mayors_council=True, as_of=D(2024, 10, 1))
    second = master.set_status(secretariat, kure, admin_member=True, as_of=D(2024, 10, 1))
    assert second.id == first.id and second.hlc > first.hlc
    history = master.history(secretariat, kure)
    assert [(c.as_of, c.admin_member, c.mayors_council) for c in history] == [(D(2024, 10, 1), True, True)]
    # Asking for what is already in force writes nothing.
    master.set_status(secretariat, kure, mayors_council=True, as_of=D(2025, 1, 1))
    assert len(master.history(secretariat, kure)) == 1


def test_changes_on_the_same_day_are_decided_by_hlc(secretariat):
    """Two installations may record the same day: the greater hlc is the status (SYNC_FORMAT §4)."""
    kure = code("呉市")
    day = {"lg_code": kure, "as_of": "2024-10-01"}
    a = records.create(secretariat, "municipality_status", {**day, "admin_member": True, "mayors_council": True},
                       owner=SECRETARIAT)
    b = records.create(secretariat, "municipality_status", {**day, "admin_member": False, "mayors_council": False},
                       owner=SECRETARIAT)
    assert b.hlc > a.hlc
    assert master.statuses(secretariat, D(2024, 10, 1))[kure] == (False, False)
    assert explain(secretariat, 2024, "mayors_council_rate")["records"] == []
    # Changing the older one gives it the greater hlc: now it is the status of that day.
    a = records.update(secretariat, "municipality_status", a.id, {"mayors_council": True, "admin_member": False})
    assert a.hlc > b.hlc
    assert master.statuses(secretariat, D(2024, 10, 1))[kure] == (False, True)
    assert [r["id"] for r in explain(secretariat, 2024, "mayors_council_rate")["records"]] == [a.id]
    # A change made on the master for that day changes the record in force, adds none.
    saved = master.set_status(secretariat, kure, admin_member=True, as_of=D(2024, 10, 1))
    assert saved.id == a.id
    assert len(master.history(secretariat, kure)) == 2
    # The history lists the day's records by hlc, the one in force last.
    assert master.history(secretariat, kure)[-1].record_id == a.id


def test_a_prefecture_never_counts(secretariat):
    master.set_status(secretariat, code("広島県"), mayors_council=True, admin_member=True, as_of=D(2024, 4, 1))
    for fy in (2023, 2024, 2025):
        kpis = tally(secretariat, fy)["kpis"]
        assert kpis["mayors_council_rate"]["numerator"] == 0
        assert kpis["admin_member_rate"]["numerator"] == 0
    assert explain(secretariat, 2024, "mayors_council_rate")["records"] == []
    assert master.rates_by_prefecture(secretariat, 2024)["34"].mayors_council == 0
    # Its status is still kept, and its history shown.
    assert master.statuses(secretariat, D(2024, 4, 1))[code("広島県")] == (True, True)
    assert len(master.history(secretariat, code("広島県"))) == 1


def test_only_the_secretariat_records_changes_and_bad_codes_are_named(forum, secretariat):
    with pytest.raises(PermissionDenied, match="事務局"):
        master.set_status(forum, code("鳥取市"), admin_member=True, as_of=D(2024, 4, 1))
    with pytest.raises(ValidationError) as raised:
        master.set_status(secretariat, "999999", admin_member=True)
    assert "999999" in raised.value.errors["lg_code"]


def test_history_says_who_recorded_a_change_here_and_when(secretariat, forum):
    fukuyama = code("福山市")
    master.set_status(secretariat, fukuyama, mayors_council=True, as_of=D(2024, 10, 1))
    [change] = master.history(secretariat, fukuyama)
    assert change.recorded_by == secretariat.user_name == "テスト担当"
    assert change.recorded_at is not None
    # At a forum the change arrived in a package: no one recorded it there; its time is its stamp's.
    transfer(secretariat, forum)
    [received] = master.history(forum, fukuyama)
    assert received.recorded_by is None and received.recorded_at is not None
    assert (received.as_of, received.admin_member, received.mayors_council) == (D(2024, 10, 1), False, True)
    stamp = records.get(forum, "municipality_status", received.record_id).hlc
    assert received.recorded_at.timestamp() == int(stamp[:13]) / 1000
    assert master.history(forum, code("呉市")) == []


def test_the_participation_map_is_of_the_year_shown(scenario, tmp_path):
    from pypdf import PdfReader

    def text(fy, issued):
        out = reports.participation_map_pdf(scenario, tmp_path / f"map{fy}.pdf", fy, issued=issued)
        return "".join("".join(p.extract_text().split()) for p in PdfReader(out).pages)

    fy2023 = text(2023, D(2026, 11, 23))
    assert "全国参画率0.1%（1／1,741市区町村）" in fy2023
    assert "令和6年3月31日（年度末）時点" in fy2023
    fy2024 = text(2024, D(2026, 11, 23))
    assert "全国参画率0.1%（2／1,741市区町村）" in fy2024 and "令和7年3月31日（年度末）時点" in fy2024
    # The current year: the status today, unless a change is recorded ahead within the year.
    fy2025 = text(2025, D(2025, 7, 1))
    assert "（1／1,741市区町村）" in fy2025 and "令和7年7月1日現在" in fy2025
    ahead = text(2024, D(2024, 7, 1))  # 福山市 joins on 2024-10-01, within FY2024: counted
    assert "（2／1,741市区町村）" in ahead and "令和7年3月31日（年度末）時点" in ahead


def test_the_dashboard_maps_are_of_the_year_shown(scenario):
    from jcim_desktop.services import dashboard

    today = D(2026, 11, 23)
    hiroshima = len(scenario.registry.municipalities_of("34"))
    maps = {fy: dashboard.dashboard(scenario, fy, today).mayors_rate_by_prefecture["34"] for fy in (2023, 2024, 2025)}
    assert maps == {2023: round(1 / hiroshima, 4), 2024: round(2 / hiroshima, 4), 2025: round(1 / hiroshima, 4)}
    board = dashboard.dashboard(scenario, 2024, today)
    assert board.card("mayors_council_rate").numerator == 2
