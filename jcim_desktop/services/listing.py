"""The fast path behind list pages: ids filtered and sorted in SQL, typed rows fetched by block.

A list page of 100,000 records asks for its ids (one Core ``SELECT id … ORDER BY``) and its
count only; the rows a view paints are then fetched a block at a time (``fetch_rows``), as
typed values (:class:`ListRow`: fiscal years, dates, codes, municipality names); the window
formats them. Nothing here builds ORM objects.

A *view* is what a page lists: an entity (``"needs"``, ``"support_activities"`` …) or
``"pitch_events"`` (the events whose type is pitch_event, with their number of presentations).

Joint events (SYNC_FORMAT §4 ``co_hosts``): an event lists the other orgs that held it in its
共催 column, and a filter by organisation (``Query.owners``) finds the events an org owns *or*
co-hosts, so a joint event is seen at every org that held it (it counts for its owner only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from jcim_desktop.domain.dates import PlannedDate
from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.domain.lgcodes import LocalGovernmentRegistry
from jcim_desktop.domain.matching import STAGE_LABELS
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.domain.vocab import (
    EVENT_STATUSES,
    EVENT_TYPES,
    NEED_STATUSES,
    SUPPORT_KINDS,
)
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.co_hosts import held_by
from jcim_desktop.store.models import (
    Enveloped,
    Event,
    Matching,
    Need,
    PitchPresentation,
    Seed,
    SupportActivity,
    Trial,
)

# SQLite before 3.32 allows 999 bound parameters; blocks of 500 stay well inside.
IN_CHUNK = 500

UNDATED = "未定"
"""The 年度 of a record without a date, in the Excel export (the window says it in its language)."""


@dataclass(frozen=True)
class Column:
    """One column of a list: data key, fixed width, whether SQL can sort by it.

    ``label`` is the Japanese header of the Excel export (reports are written in Japanese); the
    window names its columns itself (``ui.table_model``).
    """

    key: str
    label: str
    width_px: int
    sortable: bool = True
    numeric: bool = False


# Widths fit the table of a 1280-pixel window beside the sidebar (about 1,050 pixels).
_ORG = Column("owner", "組織", 120)
# The other orgs that held an event jointly (SYNC_FORMAT §4), beside the owner.
_CO_HOSTS = Column("co_hosts", "共催", 110, sortable=False)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "events": (
        Column("fy", "年度", 80),
        Column("title", "活動・行事名", 230),
        Column("event_type", "種別", 140),
        Column("planned", "開催予定日", 110),
        Column("held", "実施日", 150),
        Column("status", "状況", 56),
        Column("lg", "自治体", 170),
        _ORG,
        _CO_HOSTS,
    ),
    "pitch_events": (
        Column("fy", "年度", 80),
        Column("title", "イベント名", 260),
        Column("planned", "開催予定日", 110),
        Column("held", "実施日", 150),
        Column("status", "状況", 56),
        Column("lg", "自治体", 170),
        Column("presentations", "発表数", 60, numeric=True),
        _ORG,
        _CO_HOSTS,
    ),
    "needs": (
        Column("fy", "年度", 80),
        Column("received_on", "受付日", 130),
        Column("lg", "自治体", 160),
        Column("title", "技術テーマ", 260),
        Column("facility_types", "施設種別", 160, sortable=False),
        Column("status", "状況", 90),
        _ORG,
    ),
    "seeds": (
        Column("company", "企業等名称", 220),
        Column("tech_name", "技術名称", 260),
        Column("facility_types", "施設種別", 160, sortable=False),
        Column("netis_no", "NETIS", 120),
        Column("registered_on", "登録日", 130),
        _ORG,
    ),
    "trials": (
        Column("fy", "年度", 80),
        Column("title", "実証実験名", 270),
        Column("lg", "自治体", 160),
        Column("planned", "開催予定日", 120),
        Column("held", "実施日", 150),
        Column("status", "状況", 56),
        _ORG,
    ),
    "support_activities": (
        Column("on", "実施日", 130),
        Column("kind", "支援の種類", 130),
        Column("lg", "自治体・国", 170),
        Column("note", "備考", 380),
        _ORG,
    ),
    "matchings": (
        Column("stage", "段階", 110),
        Column("need", "ニーズ", 300),
        Column("seed", "シーズ", 300),
        Column("last_stage_on", "最終更新日", 130),
        _ORG,
    ),
}

# The order a list opens in: (column key, descending) — newest first.
DEFAULT_SORT: dict[str, tuple[str, bool]] = {
    "events": ("fy", True),
    "pitch_events": ("fy", True),
    "needs": ("received_on", True),
    "seeds": ("registered_on", True),
    "trials": ("fy", True),
    "support_activities": ("on", True),
    "matchings": ("last_stage_on", True),
}

# Columns whose values name a record (in a delete confirmation, say).
NAME_KEYS: dict[str, tuple[str, ...]] = {
    "events": ("title",),
    "pitch_events": ("title",),
    "needs": ("title", "lg"),
    "seeds": ("tech_name", "company"),
    "trials": ("title",),
    "support_activities": ("kind", "lg", "on"),
    "matchings": ("need", "seed"),
}

# Countries the overseas forum works with (ISO 3166-1 alpha-2), by their Japanese names (the
# Excel export and the Japanese window); others are shown as their code.
COUNTRY_NAMES: dict[str, str] = {
    "VN": "ベトナム", "TH": "タイ", "ID": "インドネシア", "PH": "フィリピン", "MY": "マレーシア",
    "IN": "インド", "MM": "ミャンマー", "KH": "カンボジア", "LA": "ラオス", "BD": "バングラデシュ",
    "LK": "スリランカ", "MN": "モンゴル", "US": "アメリカ合衆国", "GB": "イギリス", "CN": "中国",
    "KR": "韓国", "TW": "台湾", "SG": "シンガポール", "AU": "オーストラリア", "FR": "フランス",
    "DE": "ドイツ", "NL": "オランダ", "IT": "イタリア", "CA": "カナダ",
}

_VIEW_MODELS: dict[str, type[Enveloped]] = {
    "events": Event,
    "pitch_events": Event,
    "needs": Need,
    "seeds": Seed,
    "trials": Trial,
    "support_activities": SupportActivity,
    "matchings": Matching,
}

VIEWS: tuple[str, ...] = tuple(COLUMNS)


def _check_view(view: str) -> None:
    if view not in COLUMNS:
        raise ValueError(f"unknown list view {view!r}; one of {', '.join(COLUMNS)}")


def columns(view: str) -> tuple[Column, ...]:
    _check_view(view)
    return COLUMNS[view]


def stored_entity(view: str) -> str:
    """The entity whose records a view lists (``pitch_events`` → ``events``)."""
    _check_view(view)
    return _VIEW_MODELS[view].ENTITY


# -- filtering and sorting -------------------------------------------------------------------


def _label_order(column: Any, labels: Mapping[str, str]) -> Any:
    """Sort codes in their vocabulary's display order rather than alphabetically."""
    return case({code: i for i, code in enumerate(labels)}, value=column, else_=len(labels))


def _held_or_planned(model: Any) -> Any:
    return func.coalesce(model.held_from, model.planned_start)


def _presentation_count(event_id: Any) -> Any:
    return (
        select(func.count())
        .select_from(PitchPresentation)
        .where(PitchPresentation.event_id == event_id, PitchPresentation.deleted.is_(False))
        .scalar_subquery()
    )


def _sort_expression(view: str, key: str) -> Any:
    """The SQL expression behind column ``key`` of ``view`` (None: not sortable)."""
    model: Any = _VIEW_MODELS[view]
    if key == "owner":
        return model.owner
    if view in ("events", "pitch_events", "trials"):
        expressions: dict[str, Any] = {
            "fy": _held_or_planned(model),
            "title": model.title,
            "planned": model.planned_start,
            "held": model.held_from,
            "status": _label_order(model.status, EVENT_STATUSES),
            "lg": model.lg_codes if view != "trials" else model.lg_code,
        }
        if view == "events":
            expressions["event_type"] = _label_order(model.event_type, EVENT_TYPES)
        if view == "pitch_events":
            expressions["presentations"] = _presentation_count(model.id)
        return expressions.get(key)
    if view == "needs":
        return {
            "fy": Need.received_on,
            "received_on": Need.received_on,
            "lg": Need.lg_code,
            "title": Need.title,
            "status": _label_order(Need.status, NEED_STATUSES),
        }.get(key)
    if view == "seeds":
        return {
            "company": Seed.company_key,
            "tech_name": Seed.tech_name,
            "netis_no": Seed.netis_no,
            "registered_on": Seed.registered_on,
        }.get(key)
    if view == "support_activities":
        return {
            "on": SupportActivity.on_date,
            "kind": _label_order(SupportActivity.kind, SUPPORT_KINDS),
            "lg": func.coalesce(SupportActivity.lg_code, SupportActivity.country),
            "note": SupportActivity.note,
        }.get(key)
    if view == "matchings":
        return {
            "stage": _label_order(Matching.current_stage, STAGE_LABELS),
            "need": select(Need.title).where(Need.id == Matching.need_id).scalar_subquery(),
            "seed": select(Seed.company_key).where(Seed.id == Matching.seed_id).scalar_subquery(),
            "last_stage_on": Matching.last_stage_on,
        }.get(key)
    return None


def _where(view: str, query: records.Query) -> list[ColumnElement[bool]]:
    model: Any = _VIEW_MODELS[view]
    entity = model.ENTITY
    # An org's events are those it owns and those it co-hosted (SYNC_FORMAT §4).
    held_by_owners = list(query.owners or ()) if entity == "events" else []
    if held_by_owners:
        query = dataclasses.replace(query, owners=None)
    if view == "matchings" and query.text.strip():
        # A matching has no text of its own: search its need's and its seed's.
        plain = dataclasses.replace(query, text="")
        where = records.conditions(model, entity, plain)
        terms = normalize_for_search(query.text).split() or [normalize_for_search(query.text)]
        for term in terms:
            where.append(
                or_(
                    Matching.need_id.in_(select(Need.id).where(Need.search_text.contains(term, autoescape=True))),
                    Matching.seed_id.in_(select(Seed.id).where(Seed.search_text.contains(term, autoescape=True))),
                )
            )
    else:
        where = records.conditions(model, entity, query)
    if view == "pitch_events":
        where.append(Event.event_type == "pitch_event")
    if held_by_owners:
        where.append(held_by(held_by_owners))
    return where


def _order_by(view: str, sort_key: str | None, descending: bool, *, use_index: bool) -> list[Any]:
    model: Any = _VIEW_MODELS[view]
    expression = _sort_expression(view, sort_key) if sort_key else None
    if expression is None:
        key, descending = DEFAULT_SORT[view]
        expression = _sort_expression(view, key)
    if not use_index and isinstance(expression, InstrumentedAttribute):
        # Walking an index for a whole list looks each row up in the table: 200 ms for 100,000
        # needs against 95 ms for one scan and a sort. coalesce(x, x) orders exactly like x
        # but keeps the planner off the index; with a LIMIT the index is what makes it fast.
        expression = func.coalesce(expression, expression)
    # The id keeps the order total, so a list read in two parts (first rows, then all) agrees.
    # Empty values are the smallest on every engine (SQLite's own order; PostgreSQL's is the
    # opposite unless said).
    return [
        expression.desc().nulls_last() if descending else expression.asc().nulls_first(),
        model.id.desc() if descending else model.id.asc(),
    ]


def fetch_ids(
    ctx: AppContext,
    entity: str,
    query: records.Query,
    sort_key: str | None = None,
    descending: bool = False,
    *,
    limit: int | None = None,
) -> list[str]:
    """Ids of the records of view ``entity`` matching ``query``, in the order asked for.

    ``sort_key`` is a column key of the view; None (or a key that cannot be sorted) gives the
    view's default order. ``limit`` asks for the first ids only (a list's first screen). The
    query's own ``sort``, ``limit`` and ``offset`` fields are ignored. Empty values sort as the
    smallest (first ascending, last descending).
    """
    _check_view(entity)
    model: Any = _VIEW_MODELS[entity]
    # An index helps a LIMIT only when no text search makes the planner walk it to the end.
    use_index = limit is not None and not query.text.strip()
    stmt = (
        select(model.id)
        .where(*_where(entity, query))
        .order_by(*_order_by(entity, sort_key, descending, use_index=use_index))
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with ctx.db.engine.connect() as conn:
        result = conn.execute(stmt)
        try:
            # Ids need no result processing; reading the DBAPI cursor directly saves about
            # 60 ms per 100,000 rows over building Row objects.
            return [row[0] for row in result.cursor.fetchall()]
        finally:
            result.close()


def count(ctx: AppContext, entity: str, query: records.Query) -> int:
    """How many records of view ``entity`` match ``query``."""
    _check_view(entity)
    model: Any = _VIEW_MODELS[entity]
    stmt = select(func.count()).select_from(model).where(*_where(entity, query))
    with ctx.db.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


# -- typed rows ------------------------------------------------------------------------------


class DateSpan(NamedTuple):
    """実施日: the first and the last day (the same day for a one-day event)."""

    start: dt.date
    end: dt.date


class NeedRef(NamedTuple):
    """The need of a matching: its title and the full name of its municipality ('' if unknown)."""

    title: str
    place: str


class SeedRef(NamedTuple):
    """The seed of a matching: the company and the technology's name."""

    company: str
    tech_name: str


class Country(NamedTuple):
    """Where overseas support took place: an ISO 3166-1 alpha-2 code."""

    code: str


class ListRow(NamedTuple):
    """A record's typed values (one per column of ``columns(view)``) and its owner.

    The values by column key: ``fy`` an ``int`` fiscal year (None: no date yet, 未定);
    ``received_on``, ``registered_on``, ``on``, ``last_stage_on`` a ``date`` or None;
    ``planned`` a :class:`~jcim_desktop.domain.dates.PlannedDate`; ``held`` a :class:`DateSpan`
    or None; ``event_type``, ``status``, ``kind``, ``stage`` a code; ``facility_types`` a tuple
    of codes; ``lg`` the full name of the municipality (master data, as the register writes it;
    events: a tuple of them; support: a :class:`Country` overseas), '' when there is none;
    ``co_hosts`` a tuple of organisation codes (the other orgs that held an event jointly);
    ``need``/``seed`` a :class:`NeedRef`/:class:`SeedRef`, None when the record is missing;
    ``presentations`` an ``int``; ``owner`` an organisation code; the rest ``str`` as entered.

    ``hlc`` is the version of the record these values were read from (of the listed record itself,
    not of the need or seed a matching shows): a delete or undo started from the list names it
    (``records.delete(…, expected_hlc=)``), so a record a colleague changed after it was read is
    not deleted over their change.
    """

    values: tuple[Any, ...]
    owner: str
    hlc: str


def _fy_of(day: dt.date | None) -> int | None:
    return fiscal_year_of(day) if day is not None else None


def _held(start: dt.date | None, end: dt.date | None) -> DateSpan | None:
    return DateSpan(start, end or start) if start is not None else None


def _planned(r: Any) -> PlannedDate:
    return PlannedDate(r.planned_text or "", r.planned_start, r.planned_end, r.planned_precision or "undecided",
                       bool(r.planned_tentative))


def _lg_name(registry: LocalGovernmentRegistry, code: str | None) -> str:
    if not code:
        return ""
    lg = registry.get(code)
    return lg.full_name if lg is not None else code


def _lg_names(registry: LocalGovernmentRegistry, codes: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(_lg_name(registry, str(c)) for c in codes or ())


def _codes(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _text(value: Any) -> str:
    return "" if value is None else str(value)


Formatter = Callable[[Any, LocalGovernmentRegistry], tuple[Any, ...]]


def _event_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    return (
        _fy_of(r.held_from or r.planned_start),
        _text(r.title),
        r.event_type,
        _planned(r),
        _held(r.held_from, r.held_to),
        r.status,
        _lg_names(registry, r.lg_codes),
        r.owner,
        _codes(r.co_hosts),
    )


def _pitch_event_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    return (
        _fy_of(r.held_from or r.planned_start),
        _text(r.title),
        _planned(r),
        _held(r.held_from, r.held_to),
        r.status,
        _lg_names(registry, r.lg_codes),
        int(r.presentations or 0),
        r.owner,
        _codes(r.co_hosts),
    )


def _need_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    return (
        _fy_of(r.received_on),
        r.received_on,
        _lg_name(registry, r.lg_code),
        _text(r.title),
        _codes(r.facility_types),
        r.status,
        r.owner,
    )


def _seed_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    return (
        _text(r.company),
        _text(r.tech_name),
        _codes(r.facility_types),
        _text(r.netis_no),
        r.registered_on,
        r.owner,
    )


def _trial_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    return (
        _fy_of(r.held_from or r.planned_start),
        _text(r.title),
        _lg_name(registry, r.lg_code),
        _planned(r),
        _held(r.held_from, r.held_to),
        r.status,
        r.owner,
    )


def _support_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    where: str | Country = _lg_name(registry, r.lg_code) if r.lg_code else (Country(r.country) if r.country else "")
    return (
        r.on_date,
        r.kind,
        where,
        _text(r.note),
        r.owner,
    )


def _matching_row(r: Any, registry: LocalGovernmentRegistry) -> tuple[Any, ...]:
    need = NeedRef(_text(r.need_title), _lg_name(registry, r.need_lg_code)) if r.need_title is not None else None
    seed = SeedRef(_text(r.company), _text(r.tech_name)) if r.company is not None else None
    return (
        r.current_stage,
        need,
        seed,
        r.last_stage_on,
        r.owner,
    )


_PLANNED = (Event.planned_text, Event.planned_start, Event.planned_end, Event.planned_precision, Event.planned_tentative)


def _row_select(view: str) -> tuple[Any, Formatter]:
    if view in ("events", "pitch_events"):
        cols: list[Any] = [
            Event.id, Event.owner, Event.title, Event.event_type, *_PLANNED,
            Event.held_from, Event.held_to, Event.status, Event.lg_codes, Event.co_hosts,
        ]
        if view == "pitch_events":
            cols.append(_presentation_count(Event.id).label("presentations"))
            return select(*cols), _pitch_event_row
        return select(*cols), _event_row
    if view == "needs":
        return (
            select(Need.id, Need.owner, Need.received_on, Need.lg_code, Need.title, Need.facility_types, Need.status),
            _need_row,
        )
    if view == "seeds":
        return (
            select(Seed.id, Seed.owner, Seed.company, Seed.tech_name, Seed.facility_types, Seed.netis_no, Seed.registered_on),
            _seed_row,
        )
    if view == "trials":
        return (
            select(
                Trial.id, Trial.owner, Trial.title, Trial.lg_code, Trial.planned_text, Trial.planned_start,
                Trial.planned_end, Trial.planned_precision, Trial.planned_tentative,
                Trial.held_from, Trial.held_to, Trial.status,
            ),
            _trial_row,
        )
    if view == "support_activities":
        return (
            select(
                SupportActivity.id, SupportActivity.owner, SupportActivity.on_date, SupportActivity.kind,
                SupportActivity.lg_code, SupportActivity.country, SupportActivity.note,
            ),
            _support_row,
        )
    # matchings: the need's and the seed's titles are joined in the same statement.
    stmt = (
        select(
            Matching.id, Matching.owner, Matching.current_stage, Matching.last_stage_on,
            Need.title.label("need_title"), Need.lg_code.label("need_lg_code"), Seed.company, Seed.tech_name,
        )
        .select_from(Matching)
        .outerjoin(Need, and_(Need.id == Matching.need_id, Need.deleted.is_(False)))
        .outerjoin(Seed, and_(Seed.id == Matching.seed_id, Seed.deleted.is_(False)))
    )
    return stmt, _matching_row


def fetch_block(ctx: AppContext, entity: str, ids: Sequence[str]) -> dict[str, ListRow]:
    """Typed values, owner and version of the live records among ``ids`` (deleted or unknown ids are left out)."""
    _check_view(entity)
    model: Any = _VIEW_MODELS[entity]
    base, formatter = _row_select(entity)
    base = base.add_columns(model.hlc.label("listed_hlc"))  # the listed record's own (a matching joins others)
    registry = ctx.registry
    out: dict[str, ListRow] = {}
    unique = list(dict.fromkeys(ids))
    with ctx.db.engine.connect() as conn:
        for i in range(0, len(unique), IN_CHUNK):
            chunk = unique[i : i + IN_CHUNK]
            stmt = base.where(model.id.in_(chunk), model.deleted.is_(False))
            for row in conn.execute(stmt):
                out[row.id] = ListRow(formatter(row, registry), row.owner, row.listed_hlc)
    return out


def fetch_rows(ctx: AppContext, entity: str, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """Typed values (one per column of ``columns(entity)``, see :class:`ListRow`) of the live records among ``ids``."""
    return {record_id: row.values for record_id, row in fetch_block(ctx, entity, ids).items()}
