"""The PDF reports as use cases: gather the data through the services, lay it out with
``reports.pdf`` (imported lazily: reportlab costs ~0.1 s to import).

Each function writes one PDF atomically and returns its path; ``progress`` (optional) is called
with (done, total, message) as the work advances, for the window's progress dialog.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain import matching as matching_rules
from jcim_desktop.domain.entities import ENTITY_LABELS
from jcim_desktop.domain.fiscal import format_era_date
from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES
from jcim_desktop.domain.orgs import ORGS, SECRETARIAT, org_name
from jcim_desktop.domain.vocab import EVENT_STATUSES, FACILITY_TYPES
from jcim_desktop.errors import UserError, user_error_from_os
from jcim_desktop.services import master, matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.kpi_table import by_org_table, official_table
from jcim_desktop.services.tally import explain, tally
from jcim_desktop.store.co_hosts import held_by
from jcim_desktop.store.models import Event, Trial

Progress = Callable[[int, int, str], None]
"""progress(done, total, message)."""

MATCHING_SHEET_LIMIT = 2000
"""More sheets than this in one PDF is a mistake to stop before building thousands of pages."""


def _tick(progress: Progress | None, done: int, total: int, message: str) -> None:
    if progress is not None:
        progress(done, total, message)


@contextmanager
def _laying_out(out: Path | str, progress: Progress | None, done: int, total: int, message: str) -> Iterator[None]:
    """The last step of every report: the PDF is laid out and written in the block, with
    ``message`` at step ``done`` of ``total`` and 完了しました at the end. A file that cannot be
    written is the user's to fix: say so in Japanese, not with a traceback (a full disk, a
    read-only folder or a file open in another program each say what to do)."""
    _tick(progress, done, total, message)
    try:
        yield
    except OSError as exc:
        raise user_error_from_os(exc, "PDFの保存", out) from exc
    _tick(progress, total, total, "完了しました")


def _era(iso: object) -> str:
    if not isinstance(iso, str) or not iso:
        return ""
    try:
        return format_era_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def _issuer(ctx: AppContext) -> str:
    return ctx.org_name


def kpi_report_pdf(ctx: AppContext, fy: int, out: Path | str, *, progress: Progress | None = None,
                   issued: dt.date | None = None, with_records: bool = False) -> Path:
    """The KPI result report (KPI実績報告) of fiscal year ``fy`` over everything in the database.

    ``with_records``: an appendix lists, for each KPI whose figure is not zero, the records
    behind it as ``tally.explain`` finds them (the window's and ``tally --explain``'s lists).
    """
    from jcim_desktop.reports import pdf

    steps = 3 + (len(KPI_CODES) if with_records else 0)
    _tick(progress, 0, steps, "集計しています")
    result = tally(ctx, fy)
    rows = [dataclasses.asdict(r) for r in official_table(result)]
    columns, org_rows = by_org_table(result)
    funnel = matchings.pipeline_counts(ctx, fy)
    by_org = ([dataclasses.asdict(c) for c in columns], [dataclasses.asdict(r) for r in org_rows])
    appendix = _records_behind(ctx, fy, result, progress, steps) if with_records else None
    with _laying_out(out, progress, steps - 2, steps, "PDFを作成しています"):
        path = pdf.kpi_report(out, data_dir=ctx.data_dir, fiscal_year=fy, org_label=_issuer(ctx), tally=result,
                              table_rows=rows, by_org=by_org, funnel=funnel, issued=issued or dt.date.today(),
                              appendix=appendix)
    return path


def _records_behind(ctx: AppContext, fy: int, result: dict[str, Any], progress: Progress | None,
                    steps: int) -> list[dict[str, Any]]:
    """For each KPI whose figure is not zero: its label, the figure the list adds up to, and the
    records behind it (date, 種類, 組織, 件名, 自治体), as ``tally.explain`` gives them."""
    kpis: dict[str, Any] = result.get("kpis", {})
    sections = []
    for done, code in enumerate(KPI_CODES, start=1):
        _tick(progress, done, steps, f"もとになった記録を集めています（{KPI_BY_CODE[code].label}）")
        if not (kpis.get(code) or {}).get("total") and not result.get("closed"):
            continue  # (a closed year's live figure may differ from its official 0: look)
        explained = explain(ctx, fy, code)
        if not explained["records"] and not explained["value"]:
            continue
        entries = []
        for rec in explained["records"]:
            lg_code = rec.get("lg_code")
            municipality = ctx.registry.get(lg_code) if lg_code else None
            entries.append({
                "date": rec.get("date") or "",
                "entity": ENTITY_LABELS.get(rec["entity"], rec["entity"]),
                "org": org_name(rec["owner"]),
                "title": rec.get("title") or "",
                "municipality": municipality.full_name if municipality is not None else (lg_code or ""),
            })
        kpi = KPI_BY_CODE[code]
        sections.append({
            "kpi": code,
            "label": "支援自治体数（延べ）" if code == "supported_municipalities" else kpi.label,
            "value": explained["value"],
            "official": (kpis.get(code) or {}).get("total"),
            "is_rate": kpi.is_rate,
            "records": entries,
        })
    return sections


def _planned_key(rec: records.Record) -> tuple[str, str, str]:
    planned = rec.data.get("planned") or {}
    start = planned.get("start") if isinstance(planned, dict) else None
    return (start or "9999-12-31", rec.data.get("held_from") or "", rec.data.get("title") or "")


TRIAL_KIND = "実証実験・現場試行"
"""How the plan marks a field trial's row (as the activity-plan sheet's 種別 names it)."""


def plan_events(ctx: AppContext, org: str, fy: int) -> list[dict[str, Any]]:
    """The rows of a forum's activity plan/results: its events and field trials of ``fy``, by
    planned start, with their 会場 (``venue``, "" when none) and 参加者数 (``participants``, an
    int or None).

    A plan's 「第N回実証試験」 rows are stored as trials (one classification, issue 11): they are
    rows of the plan too, marked ``kind`` 実証実験・現場試行, their local government as 会場 and
    their 結果 as 内容. Joint events (SYNC_FORMAT §4 ``co_hosts``) are in the plan of every org
    that held them: the owner's row names the co-hosts (``co_hosts``), a co-host's row names the
    owner (``host``); they count in the KPIs for the owner only.
    """
    if org not in ORGS:
        raise UserError(f"組織コード「{org}」はありません。使えるコード: {', '.join(ORGS)}")
    year = records.Query(fiscal_year=fy)
    with ctx.reading() as session:
        stmt = select(Event).where(*records.conditions(Event, "events", year), held_by([org]))
        found = [records.to_record(o) for o in session.scalars(stmt)]
        trials = select(Trial).where(*records.conditions(Trial, "trials", year), Trial.owner == org)
        found += [records.to_record(o) for o in session.scalars(trials)]
    found.sort(key=_planned_key)
    rows = []
    for rec in found:
        planned = rec.data.get("planned") or {}
        status = rec.data.get("status") or ""
        row = {
            "title": rec.data.get("title") or "",
            "kind": "",
            "planned_text": (planned.get("text") if isinstance(planned, dict) else "") or "",
            "description": rec.data.get("description") or "",
            "venue": rec.data.get("venue") or "",
            "participants": _count(rec.data.get("participants")),
            "status_label": EVENT_STATUSES.get(status, status),
            "held": _era(rec.data.get("held_from")) if status == "held" else "",
            "host": org_name(rec.owner) if rec.owner != org else "",
            "co_hosts": "、".join(org_name(str(c)) for c in rec.data.get("co_hosts") or () if c != org),
        }
        if rec.entity == "trials":
            lg_code = rec.data.get("lg_code")
            municipality = ctx.registry.get(lg_code) if lg_code else None
            # An event made a trial keeps its 内容 as 結果's first line, 「内容: …」: the column says 内容.
            result = str(rec.data.get("result") or "").removeprefix("内容: ")
            row.update(kind=TRIAL_KIND, description=result,
                       venue=municipality.full_name if municipality is not None else (lg_code or ""))
        rows.append(row)
    return rows


def _count(value: object) -> int | None:
    """A count as an int (a record from another org may carry anything; it is shown only if a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


def plan_report_pdf(ctx: AppContext, org: str, fy: int, out: Path | str, *, progress: Progress | None = None,
                    issued: dt.date | None = None) -> Path:
    """A forum's activity plan and results (活動計画・実績) for fiscal year ``fy``."""
    from jcim_desktop.reports import pdf

    _tick(progress, 0, 2, "活動・行事を読み込んでいます")
    events = plan_events(ctx, org, fy)
    with _laying_out(out, progress, 1, 2, "PDFを作成しています"):
        path = pdf.plan_report(out, org_name=org_name(org), fiscal_year=fy, events=events,
                               issued=issued or dt.date.today(), data_dir=ctx.data_dir)
    return path


def _stage_rows(stages: Sequence[matching_rules.Stage], trials: Sequence[records.Record]) -> list[dict[str, Any]]:
    """The history of a pairing, oldest first: its stages and the field trials linked to it."""
    items: list[tuple[dt.date, int, dict[str, Any]]] = []
    for i, s in enumerate(stages):
        items.append((s.on, i, {"label": matching_rules.STAGE_LABELS.get(s.stage, s.stage),
                                "on": format_era_date(s.on), "note": s.note or ""}))
    for t in trials:
        when = t.data.get("held_from") if t.data.get("status") == "held" else None
        planned = t.data.get("planned") or {}
        on_text = _era(when) if when else (f"予定：{planned.get('text', '')}" if isinstance(planned, dict) else "")
        status = EVENT_STATUSES.get(t.data.get("status") or "", "")
        sort_on = dt.date.fromisoformat(when) if when else (
            dt.date.fromisoformat(planned["start"]) if isinstance(planned, dict) and planned.get("start") else dt.date.max
        )
        note = t.data.get("title") or ""
        if status and status != "実施済":
            note = f"{note}（{status}）"
        items.append((sort_on, 1000, {"label": "現場試行", "on": on_text, "note": note}))
    items.sort(key=lambda x: (x[0], x[1]))
    return [item for _, _, item in items]


def matching_sheet_data(ctx: AppContext, matching_ids: Sequence[str] | None = None,
                        fy: int | None = None) -> list[dict[str, Any]]:
    """The dicts ``reports.pdf.matching_sheet`` lays out, for the given pairings (or those of
    ``fy``, or all), oldest first."""
    if matching_ids is not None:
        pairings = [records.get(ctx, "matchings", mid) for mid in matching_ids]
    else:
        pairings = records.list_records(ctx, "matchings", records.Query(fiscal_year=fy))
        pairings.sort(key=lambda r: ((r.data.get("stages") or [{}])[0].get("on") or "", r.id))
    if len(pairings) > MATCHING_SHEET_LIMIT:
        raise UserError(
            f"マッチングが{len(pairings):,}件あります。情報シートは一度に{MATCHING_SHEET_LIMIT:,}件まで作成できます。"
            "年度や対象を絞ってください。"
        )
    ids = [p.id for p in pairings]
    trials_by_matching: dict[str, list[records.Record]] = {}
    with ctx.reading() as session:
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            stmt = select(Trial).where(Trial.deleted.is_(False), Trial.matching_id.in_(chunk))
            for trial in session.scalars(stmt):
                trials_by_matching.setdefault(str(trial.matching_id), []).append(records.to_record(trial))
    sheets = []
    for rec in pairings:
        joined = matchings.describe(ctx, rec)
        need: records.Record | None = joined["need"]
        seed: records.Record | None = joined["seed"]
        stages = matching_rules.parse_stages(rec.data.get("stages") or [])
        lg = ctx.registry.get(need.data.get("lg_code")) if need is not None else None
        facility = list(need.data.get("facility_types") or []) if need is not None else []
        if not facility and seed is not None:
            facility = list(seed.data.get("facility_types") or [])
        current = matching_rules.current_stage(stages)
        trials = trials_by_matching.get(rec.id, [])
        current_label = matching_rules.STAGE_LABELS.get(current, "") if current else ""
        if current == "established" and any(t.data.get("status") == "held" for t in trials):
            current_label = "現場試行"
        sheets.append({
            "theme": need.data.get("title") if need is not None else "（未受信のニーズ）",
            "fields": [FACILITY_TYPES.get(f, f) for f in facility],
            "municipality": lg.full_name if lg is not None else (need.data.get("lg_code") if need is not None else ""),
            "requirements": need.data.get("requirements") if need is not None else "",
            "received": _era(need.data.get("received_on")) if need is not None else "",
            "company": seed.data.get("company") if seed is not None else "（未受信のシーズ）",
            "tech_name": seed.data.get("tech_name") if seed is not None else "",
            "summary": seed.data.get("summary") if seed is not None else "",
            "netis_no": seed.data.get("netis_no") if seed is not None else "",
            "stages": _stage_rows(stages, trials),
            "current_stage": current_label,
            "org_label": org_name(rec.owner),
        })
    return sheets


def matching_sheets_pdf(ctx: AppContext, out: Path | str, matching_ids: Sequence[str] | None = None,
                        fy: int | None = None, *, progress: Progress | None = None,
                        issued: dt.date | None = None) -> Path:
    """Matching information sheets (マッチング情報シート), one page per pairing."""
    from jcim_desktop.reports import pdf

    _tick(progress, 0, 2, "マッチングを読み込んでいます")
    sheets = matching_sheet_data(ctx, matching_ids, fy)
    with _laying_out(out, progress, 1, 2, f"PDFを作成しています（{len(sheets)}件）"):
        path = pdf.matching_sheet(out, sheets=sheets, issued=issued or dt.date.today(), org_label=_issuer(ctx),
                                  data_dir=ctx.data_dir)
    return path


def participation_map_pdf(ctx: AppContext, out: Path | str, fy: int, *, progress: Progress | None = None,
                          issued: dt.date | None = None) -> Path:
    """The participation map of fiscal year ``fy``: prefectures coloured by 市区町村長会議 参画率,
    and on a second page by 行政会員 加入率, by each municipality's status on the year's last day
    (SYNC_FORMAT §5)."""
    from jcim_desktop.reports import pdf

    _tick(progress, 0, 2, "参画状況を集計しています")
    by_pref = master.rates_by_prefecture(ctx, fy)
    rates = {code: r.mayors_rate for code, r in by_pref.items() if r.municipalities}
    counts = {code: (r.mayors_council, r.municipalities) for code, r in by_pref.items()}
    names = {code: r.name for code, r in by_pref.items()}
    members = sum(r.mayors_council for r in by_pref.values())
    municipalities = sum(r.municipalities for r in by_pref.values())
    admin_rates = {code: r.admin_rate for code, r in by_pref.items() if r.municipalities}
    admin_counts = {code: (r.admin_members, r.municipalities) for code, r in by_pref.items()}
    admin_members = sum(r.admin_members for r in by_pref.values())
    issued = issued or dt.date.today()
    as_of, year_end = _status_date(ctx, fy, issued)
    issuer = org_name(SECRETARIAT) if ctx.is_secretariat else _issuer(ctx)
    with _laying_out(out, progress, 1, 2, "PDFを作成しています"):
        path = pdf.participation_map(out, data_dir=ctx.data_dir, rates=rates, counts=counts, names=names,
                                     national=(members, municipalities), admin_rates=admin_rates,
                                     admin_counts=admin_counts, admin_national=(admin_members, municipalities),
                                     issued=issued,
                                     fiscal_year=fy, org_label=issuer, as_of=as_of, as_of_year_end=year_end)
    return path


def _status_date(ctx: AppContext, fy: int, today: dt.date) -> tuple[dt.date, bool]:
    """The day the map's status is that of, as its subtitle says it, and whether that is the
    year's last day: a finished year's last day; for the current year (or a later one) today,
    unless changes are recorded ahead between today and the year's end (they count too)."""
    year_end = master.status_day(fy)
    if year_end <= today or master.changes_after(ctx, today, year_end):
        return year_end, True
    return today, False


@dataclasses.dataclass(frozen=True)
class PdfFont:
    """The Japanese font of the PDF reports: its name (Japanese), its file, whether PDFs embed it."""

    name: str
    file_name: str | None
    embedded: bool


def pdf_font() -> PdfFont:
    """Which Japanese font PDFs use here (the settings dialog shows it)."""
    from jcim_desktop.reports.fonts import japanese_font

    choice = japanese_font()
    return PdfFont(choice.label, choice.path.name if choice.path else None, choice.embedded)
