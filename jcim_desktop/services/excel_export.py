"""Export a list page or the KPI tally of a year to Excel (the Excel half of issue 5, point 2).

A list export has the columns of the page (``services.listing``), in the page's current filter
and sort, but typed: dates are real dates, 年度 is its era label, counts are numbers, and a
held date range (実施日) is split into 実施日 and 実施終了日 so both can be dates. Rows are
read in one ordered statement and streamed into the workbook, never all held in memory.

An activity's export also has its 会場 and 参加者数 (before 組織), which the page leaves out for
room: the spreadsheet is where a forum's plan and results are worked on in full.

A need's or a seed's contact (担当者の氏名・部署・メールアドレス・電話番号) is personal data: the
export has no contact column unless ``include_contacts`` is true (the window asks with a
連絡先を含める check box, off by default; the command line with ``--include-contacts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcim_desktop.domain.fiscal import fiscal_year_of, format_era_date, format_fiscal_year
from jcim_desktop.domain.kpi import closed_notes
from jcim_desktop.domain.lgcodes import LocalGovernmentRegistry
from jcim_desktop.domain.matching import STAGE_LABELS
from jcim_desktop.domain.orgs import org_name
from jcim_desktop.domain.vocab import EVENT_STATUSES, EVENT_TYPES, FACILITY_TYPES, NEED_STATUSES, SUPPORT_KINDS
from jcim_desktop.errors import UserError
from jcim_desktop.reports import excel_export as xlsx
from jcim_desktop.services import listing, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.kpi_table import by_org_table, official_table
from jcim_desktop.services.personal_data import ContactCounts, count_with_contact
from jcim_desktop.services.tally import tally
from jcim_desktop.store.models import Event

Progress = Callable[[int, int, str], None]

# Excel column width units per pixel of the list page's column (a character of the default font is about 7 px).
PX_PER_CHAR = 7.0


@dataclass(frozen=True)
class ExportPage:
    """A list page that can be exported: the listing view behind it and its Japanese title."""

    view: str
    title: str

    @property
    def entity(self) -> str:
        return listing.stored_entity(self.view)


PAGES: dict[str, ExportPage] = {
    "events": ExportPage("events", "活動・行事一覧"),
    "pitch_events": ExportPage("pitch_events", "ピッチイベント一覧"),
    "needs": ExportPage("needs", "自治体ニーズ一覧"),
    "seeds": ExportPage("seeds", "シーズ一覧"),
    "matchings": ExportPage("matchings", "マッチング一覧"),
    "trials": ExportPage("trials", "現場試行・実証実験一覧"),
    "support": ExportPage("support_activities", "自治体支援活動一覧"),
}

# Column kinds (reports.excel_export.KINDS) of the listing columns that are not plain text.
_KINDS: dict[str, str] = {
    "fy": "era_fy",
    "received_on": "date",
    "registered_on": "date",
    "on": "date",
    "last_stage_on": "date",
    "held": "date",
    "presentations": "int",
}
# A held range needs two date cells: 実施日 is followed by this column.
HELD_TO_LABEL = "実施終了日"
VENUE_LABEL = "会場"
PARTICIPANTS_LABEL = "参加者数"
# Columns an export has beyond the page's, inserted before 組織: (header, kind, width).
_EXTRA_COLUMNS: dict[str, tuple[xlsx.ColumnSpec, ...]] = {
    view: ((VENUE_LABEL, "text", 30.0), (PARTICIPANTS_LABEL, "int", 10.0)) for view in ("events", "pitch_events")
}
_EXTRA_SELECT: dict[str, tuple[Any, ...]] = {view: (Event.venue, Event.participants) for view in _EXTRA_COLUMNS}
# A contact's columns, after 組織: only with include_contacts (personal data).
CONTACT_COLUMNS: tuple[xlsx.ColumnSpec, ...] = (
    ("担当者氏名", "text", 16.0),
    ("担当者部署", "text", 20.0),
    ("担当者メールアドレス", "text", 30.0),
    ("担当者電話番号", "text", 16.0),
)
CONTACT_VIEWS: tuple[str, ...] = ("needs", "seeds")
"""The lists whose records have a contact."""
_CONTACT_KEYS: tuple[str, ...] = ("name", "department", "email", "phone")


def _page(page: str) -> ExportPage:
    try:
        return PAGES[page]
    except KeyError:
        raise UserError(f"「{page}」という一覧はありません。{'、'.join(PAGES)} のいずれかを指定してください。") from None


def has_contacts(page: str) -> bool:
    """Whether the records of list ``page`` have a contact (needs, seeds): whether to offer 連絡先を含める."""
    return _page(page).view in CONTACT_VIEWS


def export_columns(page: str, *, include_contacts: bool = False) -> list[xlsx.ColumnSpec]:
    """(header, kind, width) of each exported column: the page's columns, 実施日 split in two, an
    activity's 会場 and 参加者数 before 組織, and a contact's columns last when ``include_contacts``."""
    view = _page(page).view
    out: list[xlsx.ColumnSpec] = []
    for column in listing.columns(view):
        if column.key == "owner":
            out.extend(_EXTRA_COLUMNS.get(view, ()))
        kind = _KINDS.get(column.key, "text")
        width = round(max(column.width_px, 70) / PX_PER_CHAR, 1)
        out.append((column.label, kind, width))
        if column.key == "held":
            out.append((HELD_TO_LABEL, "date", width))
    if include_contacts and view in CONTACT_VIEWS:
        out.extend(CONTACT_COLUMNS)
    return out


# Typed rows -----------------------------------------------------------------------------------


def _fy(day: dt.date | None) -> int | str:
    return fiscal_year_of(day) if day is not None else listing.UNDATED


class _Labels:
    """Display names with a cache: 100,000 rows name the same few hundred places and orgs."""

    def __init__(self, registry: LocalGovernmentRegistry) -> None:
        self.registry = registry
        self._lg: dict[str, str] = {}
        self._orgs: dict[str, str] = {}

    def lg(self, code: Any) -> str:
        if not code:
            return ""
        key = str(code)
        name = self._lg.get(key)
        if name is None:
            lg = self.registry.get(key)
            name = self._lg[key] = lg.full_name if lg is not None else key
        return name

    def lgs(self, codes: Sequence[Any] | None) -> str:
        # Every place, not the page's "… ほか3": a spreadsheet is read in full and filtered.
        return "、".join(self.lg(c) for c in codes or ())

    def org(self, code: str) -> str:
        name = self._orgs.get(code)
        if name is None:
            name = self._orgs[code] = org_name(code)
        return name

    def orgs(self, codes: Sequence[Any] | None) -> str:
        """共催: every co-host by its full name (SYNC_FORMAT §4)."""
        return "、".join(self.org(str(c)) for c in codes or ())


def _label(labels: dict[str, str], code: str | None) -> str:
    return labels.get(code, code) if code else ""


def _facilities(types: Sequence[Any] | None) -> str:
    return "・".join(FACILITY_TYPES.get(str(t), str(t)) for t in types or ())


def _held(r: Any) -> tuple[dt.date | None, dt.date | None]:
    return r.held_from, (r.held_to or r.held_from) if r.held_from else None


TypedFormatter = Callable[[Any, _Labels], tuple[Any, ...]]


def _participants(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _event_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    return (
        _fy(r.held_from or r.planned_start), r.title, _label(EVENT_TYPES, r.event_type), r.planned_text,
        *_held(r), _label(EVENT_STATUSES, r.status), n.lgs(r.lg_codes), r.venue or "", _participants(r.participants),
        n.org(r.owner), n.orgs(r.co_hosts),
    )


def _pitch_event_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    return (
        _fy(r.held_from or r.planned_start), r.title, r.planned_text, *_held(r),
        _label(EVENT_STATUSES, r.status), n.lgs(r.lg_codes), int(r.presentations or 0), r.venue or "",
        _participants(r.participants), n.org(r.owner), n.orgs(r.co_hosts),
    )


def _need_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    return (
        _fy(r.received_on), r.received_on, n.lg(r.lg_code), r.title, _facilities(r.facility_types),
        _label(NEED_STATUSES, r.status), n.org(r.owner),
    )


def _seed_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    return (r.company, r.tech_name, _facilities(r.facility_types), r.netis_no, r.registered_on, n.org(r.owner))


def _trial_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    return (
        _fy(r.held_from or r.planned_start), r.title, n.lg(r.lg_code), r.planned_text, *_held(r),
        _label(EVENT_STATUSES, r.status), n.org(r.owner),
    )


def _support_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    where = n.lg(r.lg_code) if r.lg_code else listing.COUNTRY_NAMES.get(r.country or "", r.country or "")
    return (r.on_date, _label(SUPPORT_KINDS, r.kind), where, r.note, n.org(r.owner))


def _matching_row(r: Any, n: _Labels) -> tuple[Any, ...]:
    if r.need_title is None:
        need = "（見つからないニーズ）"
    else:
        place = n.lg(r.need_lg_code)
        need = f"{r.need_title}（{place}）" if place else r.need_title
    seed = f"{r.company or ''} ／ {r.tech_name or ''}" if r.company is not None else "（見つからないシーズ）"
    return (_label(STAGE_LABELS, r.current_stage), need, seed, r.last_stage_on, n.org(r.owner))


_TYPED: dict[str, TypedFormatter] = {
    "events": _event_row,
    "pitch_events": _pitch_event_row,
    "needs": _need_row,
    "seeds": _seed_row,
    "trials": _trial_row,
    "support_activities": _support_row,
    "matchings": _matching_row,
}


def _contact_values(contact: Any) -> tuple[str, ...]:
    if not isinstance(contact, dict):
        return ("",) * len(_CONTACT_KEYS)
    return tuple(str(contact.get(key) or "") for key in _CONTACT_KEYS)


def _statement(view: str, query: records.Query, sort_key: str | None, descending: bool | None,
               include_contacts: bool = False) -> Any:
    # The page's own select, filter and order (listing keeps them); only the formatting differs.
    base, _display = listing._row_select(view)
    model: Any = listing._VIEW_MODELS[view]
    if view in _EXTRA_SELECT:
        base = base.add_columns(*_EXTRA_SELECT[view])
    if include_contacts and view in CONTACT_VIEWS:
        base = base.add_columns(model.contact.label("contact"))
    if sort_key is None:
        sort_key, default_descending = listing.DEFAULT_SORT[view]
        descending = default_descending if descending is None else descending
    return base.where(model.deleted.is_(False), *listing._where(view, query)).order_by(
        *listing._order_by(view, sort_key, bool(descending), use_index=False)
    )


def iter_typed_rows(
    ctx: AppContext,
    page: str,
    query: records.Query | None = None,
    sort_key: str | None = None,
    descending: bool | None = None,
    *,
    include_contacts: bool = False,
) -> Iterator[tuple[Any, ...]]:
    """The page's rows as typed values (dates, ints, fiscal years), in the page's order.

    One value per ``export_columns(page, include_contacts=…)``. The connection stays open while
    the caller iterates.
    """
    view = _page(page).view
    formatter = _TYPED[view]
    labels = _Labels(ctx.registry)
    contacts = include_contacts and view in CONTACT_VIEWS
    stmt = _statement(view, query or records.Query(), sort_key, descending, contacts)
    with ctx.db.engine.connect() as conn:
        for row in conn.execute(stmt):
            if contacts:
                yield formatter(row, labels) + _contact_values(row.contact)
            else:
                yield formatter(row, labels)


def list_contact_counts(ctx: AppContext, page: str, query: records.Query | None = None) -> ContactCounts:
    """How many of the records an export of list ``page`` (in filter ``query``) would hold have a
    contact: what 連絡先を含める puts in the file (None for an entity the list does not hold)."""
    view = _page(page).view
    if view not in CONTACT_VIEWS:
        return ContactCounts(needs=None, seeds=None)
    found = count_with_contact(ctx, view, listing._where(view, query or records.Query()))
    return ContactCounts(needs=found, seeds=None) if view == "needs" else ContactCounts(needs=None, seeds=found)


def _list_title(ctx: AppContext, page: ExportPage, query: records.Query, today: dt.date) -> str:
    scope = f"（{format_fiscal_year(query.fiscal_year)}）" if query.fiscal_year is not None else ""
    return f"{page.title}{scope}　{ctx.org_name}　{format_era_date(today)} 出力"


def export_list_xlsx(
    ctx: AppContext,
    page: str,
    out: Path | str,
    query: records.Query | None = None,
    progress: Progress | None = None,
    *,
    sort_key: str | None = None,
    descending: bool | None = None,
    include_contacts: bool = False,
) -> Path:
    """Write list page ``page`` (a key of ``PAGES``) to ``out`` as .xlsx; returns the path.

    ``query`` is the page's filter, ``sort_key``/``descending`` its sort (None: the page's
    default order). Nothing is written if it fails or ``progress.cancelled`` becomes true.
    A need's or a seed's contact (personal data) is written only when ``include_contacts``.
    """
    export_page = _page(page)
    query = query or records.Query()
    total = listing.count(ctx, export_page.view, query)
    return xlsx.write_table(
        out,
        sheet_title=export_page.title,
        columns=export_columns(page, include_contacts=include_contacts),
        rows=iter_typed_rows(ctx, page, query, sort_key, descending, include_contacts=include_contacts),
        title=_list_title(ctx, export_page, query, records.today()),
        progress=progress,
        total=total,
        data_dir=ctx.data_dir,
    )


def export_tally_xlsx(ctx: AppContext, fy: int, out: Path | str) -> Path:
    """The KPI tally of fiscal year ``fy`` in the official layout, with the per-org sheet."""
    result = tally(ctx, fy)
    return xlsx.write_tally_workbook(
        out,
        fiscal_year=fy,
        tally_rows=official_table(result),
        by_org=by_org_table(result),
        issued_on=records.today(),
        data_dir=ctx.data_dir,
        notes=closed_notes(result),
    )
