"""SQLAlchemy models of the entities of SYNC_FORMAT §4, each with the sync envelope."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



_BIG = Integer().with_variant(BigInteger(), "postgresql")
"""An integer a record or a package may carry (up to 2^53 - 1, SYNC_FORMAT §2): SQLite's INTEGER
holds it; PostgreSQL's needs BIGINT (migration 0009)."""


def _long(width: int) -> String:
    """Text whose validation allows more than ``width``: SQLite does not enforce a VARCHAR's width,
    PostgreSQL does, so there it is TEXT (migration 0009)."""
    return String(width).with_variant(Text(), "postgresql")

class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Enveloped:
    """The sync envelope (SYNC_FORMAT §3), kept up to date by ``store.stamping`` on every change.

    References between records (``need_id`` …) are deliberately not foreign keys: a record may
    arrive before the record it refers to, from another organisation's package.
    """

    ENTITY: ClassVar[str]
    # data field -> (attribute, kind) where kind is "plain", "date" or "planned"
    FIELDS: ClassVar[dict[str, tuple[str, str]]]

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(32))
    hlc: Mapped[str] = mapped_column(String(64))
    vv: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Fields of ``data`` that a later version of the format added and this one does not know:
    # kept as received and written back out unchanged (SYNC_FORMAT §2, forward compatibility).
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # The envelope's ``by`` (SYNC_FORMAT §4): the person who made the last change, as received.
    changed_by: Mapped[str | None] = mapped_column(Text, default=None)

    def to_data(self) -> dict[str, Any]:
        """The record's ``data`` in SYNC_FORMAT shape (ISO dates, PlannedDate as a dict)."""
        data: dict[str, Any] = {}
        for name, (attr, kind) in self.FIELDS.items():
            if kind == "planned":
                data[name] = {
                    "text": self.planned_text,  # type: ignore[attr-defined]
                    "start": _iso(self.planned_start),  # type: ignore[attr-defined]
                    "end": _iso(self.planned_end),  # type: ignore[attr-defined]
                    "precision": self.planned_precision,  # type: ignore[attr-defined]
                    "tentative": self.planned_tentative,  # type: ignore[attr-defined]
                }
            elif kind == "date":
                data[name] = _iso(getattr(self, attr))
            else:
                value = getattr(self, attr)
                data[name] = list(value) if isinstance(value, list) else (dict(value) if isinstance(value, dict) else
                                                                          plain_number(value))
        return data

    def full_data(self) -> dict[str, Any]:
        """``to_data()`` with the unknown fields received from later versions (what packages carry)."""
        data = self.to_data()
        if self.extra:
            data.update(self.extra)
        return data

    def apply_data(self, data: dict[str, Any]) -> None:
        """Set columns from cleaned ``data``; only attributes whose value changes are touched."""
        for attr, value in columns_from_data(type(self), data).items():
            if getattr(self, attr) != value:
                setattr(self, attr, value)


def columns_from_data(model: type[Enveloped], data: dict[str, Any]) -> dict[str, Any]:
    """Column values for cleaned ``data`` (used by the ORM path and by bulk Core statements)."""
    values: dict[str, Any] = {}
    for name, (attr, kind) in model.FIELDS.items():
        value = data.get(name)
        if kind == "planned":
            planned = value or {}
            values["planned_text"] = planned.get("text") or ""
            values["planned_start"] = _date(planned.get("start"))
            values["planned_end"] = _date(planned.get("end"))
            values["planned_precision"] = planned.get("precision") or "undecided"
            values["planned_tentative"] = bool(planned.get("tentative"))
        elif kind == "date":
            values[attr] = _date(value)
        else:
            values[attr] = value
    return values


def plain_number(value: Any) -> Any:
    """A whole number kept in a Float column (a KPI target of 50) as the integer it is, so that
    packages write ``50``, not ``50.0`` (SYNC_FORMAT §2: integers without a fraction)."""
    if type(value) is float and value.is_integer() and abs(value) <= 2**53 - 1:
        return int(value)
    return value


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _fields(spec: str) -> dict[str, tuple[str, str]]:
    """Parse ``"title, held_from:date, planned:planned, on>on_date:date"`` into FIELDS."""
    out: dict[str, tuple[str, str]] = {}
    for item in spec.split(","):
        item = item.strip()
        name, _, kind = item.partition(":")
        name, _, attr = name.partition(">")
        out[name] = (attr or name, kind or "plain")
    return out


class PlannedColumns:
    planned_text: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    planned_precision: Mapped[str] = mapped_column(String(16), default="undecided")
    planned_tentative: Mapped[bool] = mapped_column(Boolean, default=False)


class Event(PlannedColumns, Enveloped, Base):
    """活動・行事 (pitch events included)."""

    __tablename__ = "events"
    ENTITY = "events"
    FIELDS = _fields(
        "title, event_type, planned:planned, status, held_from:date, held_to:date, venue, description, "
        "series_no, lg_codes, participants, counts_as_forum, co_hosts"
    )

    title: Mapped[str] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    held_from: Mapped[dt.date | None] = mapped_column(Date)
    held_to: Mapped[dt.date | None] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    series_no: Mapped[int | None] = mapped_column(_BIG)
    lg_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    participants: Mapped[int | None] = mapped_column(_BIG)
    counts_as_forum: Mapped[bool] = mapped_column(Boolean, default=False)
    # Other orgs that held the event jointly (SYNC_FORMAT §4): shown at every org, counted for the owner only.
    co_hosts: Mapped[list[Any]] = mapped_column(JSON, default=list)

    __table_args__ = (
        Index("ix_events_owner_deleted", "owner", "deleted"),
        Index("ix_events_held_from", "held_from"),
        Index("ix_events_planned_start", "planned_start"),
        Index("ix_events_status_planned_end", "status", "planned_end"),
        Index("ix_events_status_held_from", "status", "held_from"),
        # ix_events_day, on (coalesce(held_from, planned_start), deleted, event_type, id), is made by
        # migration 0010 alone: Alembic's comparison skips indexes on expressions.
    )


class PitchPresentation(Enveloped, Base):
    """ピッチ発表: a technology presented at a pitch event."""

    __tablename__ = "pitch_presentations"
    ENTITY = "pitch_presentations"
    FIELDS = _fields("event_id, seed_id, need_id, order>order_no, note")

    event_id: Mapped[str] = mapped_column(String(36))
    seed_id: Mapped[str] = mapped_column(String(36))
    need_id: Mapped[str | None] = mapped_column(String(36))
    order_no: Mapped[int | None] = mapped_column(_BIG)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_pitch_presentations_event_id", "event_id"),
        Index("ix_pitch_presentations_owner_deleted", "owner", "deleted"),
    )


class Need(Enveloped, Base):
    """自治体ニーズ."""

    __tablename__ = "needs"
    ENTITY = "needs"
    FIELDS = _fields("lg_code, title, facility_types, requirements, received_on:date, survey, status, contact")

    lg_code: Mapped[str] = mapped_column(String(6))
    title: Mapped[str] = mapped_column(Text)
    facility_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    requirements: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[dt.date] = mapped_column(Date)
    survey: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_needs_owner_deleted", "owner", "deleted"),
        Index("ix_needs_received_on", "received_on"),
        Index("ix_needs_lg_code", "lg_code"),
    )


class Seed(Enveloped, Base):
    """シーズ（技術）."""

    __tablename__ = "seeds"
    ENTITY = "seeds"
    FIELDS = _fields("company, tech_name, summary, facility_types, netis_no, registered_on:date, contact")

    company: Mapped[str] = mapped_column(Text)
    company_key: Mapped[str] = mapped_column(Text, default="")
    tech_name: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    facility_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    netis_no: Mapped[str | None] = mapped_column(_long(32))
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_seeds_owner_deleted", "owner", "deleted"),
        Index("ix_seeds_company_key", "company_key"),
    )


class Matching(Enveloped, Base):
    """マッチング: a need paired with a seed, with its stage history."""

    __tablename__ = "matchings"
    ENTITY = "matchings"
    FIELDS = _fields("need_id, seed_id, pitch_event_id, stages")

    need_id: Mapped[str] = mapped_column(String(36))
    seed_id: Mapped[str] = mapped_column(String(36))
    pitch_event_id: Mapped[str | None] = mapped_column(String(36))
    stages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Derived from ``stages`` (store.stamping keeps them in step) so lists and the tally can
    # select by date and stage with an index instead of reading every history.
    current_stage: Mapped[str | None] = mapped_column(String(16))
    first_stage_on: Mapped[dt.date | None] = mapped_column(Date)
    last_stage_on: Mapped[dt.date | None] = mapped_column(Date)
    # Each stage's code and day, compact (``derived.stage_days``): the year's funnel counts read
    # them from ``ix_matchings_stage_days`` alone instead of every history's JSON.
    stage_days: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_matchings_owner_deleted", "owner", "deleted"),
        Index("ix_matchings_need_id", "need_id"),
        Index("ix_matchings_seed_id", "seed_id"),
        Index("ix_matchings_stage_span", "last_stage_on", "first_stage_on"),
        # The matching board: its columns counted and their newest cards read from this alone.
        Index("ix_matchings_board", "current_stage", "deleted", "last_stage_on", "first_stage_on", "owner", "id"),
        # Led by the days, not by ``deleted``: SQLite would take it for the board's count by stage.
        Index("ix_matchings_stage_days", "last_stage_on", "first_stage_on", "deleted", "owner", "stage_days"),
    )


class Trial(PlannedColumns, Enveloped, Base):
    """実証実験・現場試行."""

    __tablename__ = "trials"
    ENTITY = "trials"
    FIELDS = _fields(
        "title, series_no, lg_code, matching_id, need_id, seed_id, pitch_event_id, planned:planned, status, "
        "held_from:date, held_to:date, result"
    )

    title: Mapped[str] = mapped_column(Text)
    series_no: Mapped[int | None] = mapped_column(_BIG)
    lg_code: Mapped[str] = mapped_column(String(6))
    matching_id: Mapped[str | None] = mapped_column(String(36))
    need_id: Mapped[str | None] = mapped_column(String(36))
    seed_id: Mapped[str | None] = mapped_column(String(36))
    pitch_event_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16))
    held_from: Mapped[dt.date | None] = mapped_column(Date)
    held_to: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_trials_owner_deleted", "owner", "deleted"),
        Index("ix_trials_held_from", "held_from"),
        Index("ix_trials_matching_id_deleted", "matching_id", "deleted"),
        # The year's held trials linked to a pairing (the matching funnel's 現場試行), counted from this alone.
        Index("ix_trials_held", "status", "deleted", "held_from", "matching_id", "owner"),
    )


class SupportActivity(Enveloped, Base):
    """自治体支援: support that no event, need or trial records."""

    __tablename__ = "support_activities"
    ENTITY = "support_activities"
    FIELDS = _fields("kind, on>on_date:date, lg_code, country, note")

    kind: Mapped[str] = mapped_column(String(32))
    on_date: Mapped[dt.date] = mapped_column(Date)
    lg_code: Mapped[str | None] = mapped_column(String(6))
    country: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_support_activities_owner_deleted", "owner", "deleted"),
        Index("ix_support_activities_on_date", "on_date"),
    )


class MunicipalityStatus(Enveloped, Base):
    """行政会員 and 市区町村長会議 participation of a local government (owner: secretariat)."""

    __tablename__ = "municipality_status"
    ENTITY = "municipality_status"
    FIELDS = _fields("lg_code, admin_member, mayors_council, as_of:date")

    lg_code: Mapped[str] = mapped_column(String(6))
    admin_member: Mapped[bool] = mapped_column(Boolean, default=False)
    mayors_council: Mapped[bool] = mapped_column(Boolean, default=False)
    as_of: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        Index("ix_municipality_status_lg_code", "lg_code"),
        Index("ix_municipality_status_as_of", "as_of"),
    )


class KpiTarget(Enveloped, Base):
    """KPI目標 of a fiscal year (owner: secretariat)."""

    __tablename__ = "kpi_targets"
    ENTITY = "kpi_targets"
    FIELDS = _fields("fiscal_year, kpi, target")

    fiscal_year: Mapped[int] = mapped_column(Integer)
    kpi: Mapped[str] = mapped_column(String(64))
    target: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_kpi_targets_fiscal_year", "fiscal_year"),)


class ClosedTally(Enveloped, Base):
    """The official figures of a fiscal year (年度確定, or a past year's published results; owner:
    secretariat). At most one live record per year; reopening a year is a tombstone."""

    __tablename__ = "closed_tallies"
    ENTITY = "closed_tallies"
    FIELDS = _fields("fiscal_year, closed_at, closed_by, source, kpis, note")

    fiscal_year: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[str] = mapped_column(_long(40))
    closed_by: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    kpis: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_closed_tallies_fiscal_year", "fiscal_year"),)


class RegisteredKey(Enveloped, Base):
    """A key the secretariat has registered for an installation (SYNC_FORMAT §4 trusted_keys;
    owner: secretariat). Distinct from ``TrustedKey``, this installation's own trust decisions."""

    __tablename__ = "registered_keys"
    ENTITY = "trusted_keys"
    FIELDS = _fields("public_key, orgs, label, revoked_on:date")

    public_key: Mapped[str] = mapped_column(String(64))
    orgs: Mapped[list[Any]] = mapped_column(JSON)
    label: Mapped[str] = mapped_column(Text)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_registered_keys_public_key", "public_key"),)


MODELS: dict[str, type[Enveloped]] = {
    m.ENTITY: m
    for m in (Event, PitchPresentation, Need, Seed, Matching, Trial, SupportActivity, MunicipalityStatus, KpiTarget,
              ClosedTally, RegisteredKey)
}


class Installation(Base):
    """This installation's identity (one row) and the persisted state of its clock."""

    __tablename__ = "installation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org: Mapped[str] = mapped_column(String(32))
    public_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    hlc_last: Mapped[str | None] = mapped_column(String(64))
    package_sequence: Mapped[int] = mapped_column(_BIG, default=0)


class DatabaseBackup(Base):
    """A backup taken of a shared database (``pg_dump``): when, why, by which installation and
    person, and the file as that person's computer names it. The daily dump is taken once a day
    per database (by the first client to open it), not once per staff member."""

    __tablename__ = "database_backups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    taken_at: Mapped[str] = mapped_column(String(40))
    day: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(16))
    installation_id: Mapped[str] = mapped_column(String(36))
    user_name: Mapped[str] = mapped_column(Text)
    file: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_database_backups_day", "day", "reason"),)


class AuditEntry(Base):
    """Append-only log of local changes: who, when, which record, which fields, old → new."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    user_name: Mapped[str] = mapped_column(Text)
    installation_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(16))
    hlc: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    # A change merged from a package: which package, and who sent it (org, installation).
    package_id: Mapped[str | None] = mapped_column(String(36), default=None)
    sender_org: Mapped[str | None] = mapped_column(String(32), default=None)
    sender_installation: Mapped[str | None] = mapped_column(String(36), default=None)

    __table_args__ = (
        Index("ix_audit_log_record", "entity", "record_id"),
        Index("ix_audit_log_at", "at"),
    )


def new_record(model: type[Enveloped], record_id: str, owner: str) -> Enveloped:
    """A blank record of ``model``; ``store.stamping`` fills in its HLC and version vector on flush."""
    obj = model()
    obj.id = record_id
    obj.owner = owner
    obj.hlc = ""
    obj.vv = {}
    obj.deleted = False
    return obj


class InstallationKey(Base):
    """The public key each installation was first seen with (SYNC_FORMAT §2: one key per installation).

    Remembered when its first package is merged; a package of that installation signed by any
    other key is refused. ``public_key`` is null only for bindings carried over from databases
    that kept only the key id (``key_id``), until the next package of that installation.
    """

    __tablename__ = "installation_keys"

    installation: Mapped[str] = mapped_column(String(36), primary_key=True)
    public_key: Mapped[str | None] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(19))
    org: Mapped[str] = mapped_column(String(32))
    first_seen: Mapped[str] = mapped_column(String(40))


class TrustedKey(Base):
    """A public key this installation accepts packages from, and the owners it may write."""

    __tablename__ = "trusted_keys"

    public_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(19))
    orgs: Mapped[list[Any]] = mapped_column(JSON)
    added_at: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class ReceivedPackage(Base):
    """Every package merged here: from which installation, which sequence, what it changed."""

    __tablename__ = "received_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package_id: Mapped[str] = mapped_column(String(36))
    installation: Mapped[str] = mapped_column(String(36))
    org: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(_BIG)
    scope: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(19))
    created_at: Mapped[str] = mapped_column(_long(40))
    received_at: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(Text)
    records: Mapped[int] = mapped_column(_BIG)
    newer: Mapped[bool] = mapped_column(Boolean)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index("ix_received_packages_installation", "installation", "sequence"),)


class ImportJournal(Base):
    """What an import changed, to undo it without a backup taken before it (``store.journal``)."""

    __tablename__ = "import_journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    received_id: Mapped[int] = mapped_column(Integer)
    """The ``received_packages`` row of the import."""
    entity: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    before: Mapped[str | None] = mapped_column(Text)
    """The row as it was (JSON of its stored columns); None: the import added the record."""
    after_hlc: Mapped[str] = mapped_column(String(64))
    after_vv: Mapped[str] = mapped_column(Text)
    conflicts: Mapped[str | None] = mapped_column(Text)
    """The record's conflict versions before (JSON list of rows), where the import touched them."""

    __table_args__ = (Index("ix_import_journal_received", "received_id"),)


class AgeRecipient(Base):
    """An age recipient (``age1…``) this installation encrypts packages to (SYNC_FORMAT §7): the
    secretariat's, received in its national package, or one added by hand."""

    __tablename__ = "age_recipients"

    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    org: Mapped[str | None] = mapped_column(String(32))
    label: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # "package" or "hand"
    added_at: Mapped[str] = mapped_column(String(40))


class ConflictVersion(Base):
    """A version of a record in an open conflict (SYNC_FORMAT §3 rule 5).

    For a record in conflict, the rows hold every version not superseded by another one known
    here (each with its own version vector); the stored record is the one with the greatest HLC.
    A conflict is open while a record has two or more rows; a change that supersedes them all
    (a person's resolution, or a newer version received) removes them.
    """

    __tablename__ = "conflict_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    owner: Mapped[str] = mapped_column(String(32))
    hlc: Mapped[str] = mapped_column(String(64))
    vv: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    detected_at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_conflict_versions_record", "entity", "record_id"),)
