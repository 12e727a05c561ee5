"""What other installations wrote to a shared database since a mark: the change notices' queries.

Every record written, saved here or merged from a package, adds a row to the append-only audit log
(``store.stamping``, ``sync.merge``), and so does the undoing of an import. A :class:`Mark` is the
log's highest id seen; what was written since is the log's rows above it, read through the
primary key. Shared state written without an audit row, and shown by a page, is followed too:
the packages received (an import that changed no record adds only a ``received_packages`` row;
undoing one removes it: the highest id is compared, not followed) and the keys trusted by hand and the
encryption recipients (``trusted_keys``, ``age_recipients``: a few dozen rows, read whole).
The targets, the closed years, the registered keys and the municipality master are records and
are audited; settings are each data folder's own, not the database's.

**Cost.** A poll reads ``max(id)`` of the audit log and of the received packages (one step down
each primary-key index), then the audit rows in the id ranges it has not seen, grouped, through
the primary key (``id BETWEEN …``): its cost follows what was written since the last poll, never
the size of the log (``tests/store/test_watch.py`` asserts the plans on both engines; at
1,000,000 rows a poll with nothing new reads a handful of index pages). Record ids are listed
only when few rows are new (``IDS_LIMIT``).

**Ids that become visible late.** On PostgreSQL an id is drawn when a row is inserted, not when
its transaction commits: while a colleague's import of 100,000 records is still writing, a save
by someone else commits with a higher id. A poll in between must not step over the import's ids
for good, so a mark keeps the ids below it that it has not seen (:class:`Hole`) and the next polls
look there again, for ``HOLE_POLLS`` polls (an import rolled back leaves a hole for ever). All
the reads of a poll see one snapshot (``REPEATABLE READ`` on PostgreSQL; on SQLite one writer at a
time draws ids in commit order, so nothing below ``max(id)`` appears later).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, case, func, or_, select

from jcim_desktop.store.models import MODELS, AgeRecipient, AuditEntry, ReceivedPackage, TrustedKey

IDS_LIMIT = 100
"""New audit rows up to which the records' ids are listed (beyond: only entities and counts)."""
HOLE_POLLS = 360
"""How many polls look again at ids not seen below the mark (an hour at the window's 10 s): an
import takes minutes at most; an id rolled back never appears."""
MAX_HOLES = 64
"""Holes kept at most (the newest): each is one more range in the poll's query."""
IMPORTS = ReceivedPackage.__tablename__
"""The audit log's entity of rows about an import itself (``undo_import``; ``import``), whose
installation is the one that did it."""
IMPORT_ACTION = "import"
"""The action of an import's own audit row (naming the installation that imported the package),
where the import writes one: merged rows name the installation that made each change instead."""
UNDO_ACTION = "undo_import"


@dataclass(frozen=True)
class Hole:
    """Audit ids ``first``…``last`` below a mark, not seen yet (a transaction still open, or
    rolled back); looked at again for ``polls_left`` more polls."""

    first: int
    last: int
    polls_left: int = HOLE_POLLS


@dataclass(frozen=True)
class Mark:
    """How far the database's changes have been seen."""

    audit_id: int
    """The highest audit-log id seen (0: an empty log)."""
    received_id: int
    """The highest ``received_packages`` id seen."""
    keys: str
    """A digest of the keys trusted by hand and the encryption recipients."""
    holes: tuple[Hole, ...] = ()


@dataclass(frozen=True)
class Group:
    """Audit rows written by others about ``entity``, by ``user_name`` at ``installation_id``
    (``package_id``: records merged from that package; for the ``IMPORTS`` entity, the import
    the rows are about)."""

    entity: str
    installation_id: str
    user_name: str
    package_id: str | None
    records: int
    """Records written (each once, however often it was saved)."""
    deleted: int = 0
    """Of them, records deleted."""
    undone: int = 0
    """``IMPORTS``: rows saying the import was undone."""
    imported: int = 0
    """``IMPORTS``: rows saying the package was imported (by ``user_name``)."""
    importer: str | None = None
    """A merged group: the name of the person who imported the package, where the import's own
    row says (None: not known)."""

    @property
    def merged(self) -> bool:
        return self.package_id is not None and self.entity in MODELS


@dataclass(frozen=True)
class Seen:
    """What others wrote between two marks."""

    groups: tuple[Group, ...] = ()
    record_ids: tuple[tuple[str, str], ...] | None = ()
    """(entity, id) of the records written, when at most ``IDS_LIMIT`` rows are new; None: more."""
    received: bool = False
    """The packages received changed (by anyone: a ``received_packages`` row does not say who)."""
    keys: bool = False
    """The keys trusted by hand or the encryption recipients changed (by anyone)."""
    replaced: bool = False
    """The log is shorter than the mark: the database was replaced (a restored backup)."""

    @property
    def empty(self) -> bool:
        return not (self.groups or self.received or self.keys or self.replaced)


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the database as it was at the first (PostgreSQL's
    ``REPEATABLE READ``; SQLite draws ids in commit order, so its default suffices)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def newest_mark(conn: Connection) -> Mark:
    """The mark of everything in the database now (the first poll's)."""
    return Mark(_top(conn), _received_top(conn), _keys_digest(conn))


def changes_since(conn: Connection, mark: Mark, installation_id: str) -> tuple[Mark, Seen]:
    """What installations other than ``installation_id`` wrote after ``mark``, and the new mark.

    Rows of this installation (its saves, its undoing of imports, the records of the packages it
    imported where the import's own row says so) count as seen and are not reported."""
    top = _top(conn)
    received_top = _received_top(conn)
    keys = _keys_digest(conn)
    if top < mark.audit_id:  # the log is append-only: only a restored backup makes it shorter
        return Mark(top, received_top, keys), Seen(replaced=True)
    # (Undoing the newest import removes its row: the highest id may go down as well as up.)
    received, keys_changed = received_top != mark.received_id, keys != mark.keys
    ranges = scanned_ranges(mark, top)
    if not ranges:
        return Mark(top, received_top, keys), Seen(received=received, keys=keys_changed)

    rows = list(conn.execute(group_statement(ranges)))
    total = sum(int(row.rows) for row in rows)
    importers = {str(row.package_id): str(row.user_name or "") for row in rows
                 if row.entity == IMPORTS and row.imported and row.package_id is not None}
    mine = {str(row.package_id) for row in rows
            if row.entity == IMPORTS and row.imported and row.installation_id == installation_id}

    def own(entity: str, package_id: str | None, installation: str) -> bool:
        if entity in MODELS and package_id is not None:
            return package_id in mine
        return installation == installation_id

    groups = tuple(
        Group(str(row.entity), str(row.installation_id), str(row.user_name or ""), row.package_id,
              int(row.records), int(row.deleted), int(row.undone), int(row.imported),
              importers.get(str(row.package_id)) if row.entity in MODELS and row.package_id is not None else None)
        for row in rows if not own(row.entity, row.package_id, row.installation_id)
    )
    record_ids: tuple[tuple[str, str], ...] | None = None
    if total <= IDS_LIMIT:
        record_ids = tuple(dict.fromkeys(
            (str(row.entity), str(row.record_id)) for row in conn.execute(ids_statement(ranges))
            if row.entity in MODELS and not own(row.entity, row.package_id, row.installation_id)))
    holes = _holes(conn, mark, ranges, total)
    return Mark(top, received_top, keys, holes), Seen(groups, record_ids, received, keys_changed)


def scanned_ranges(mark: Mark, top: int) -> list[tuple[int, int]]:
    """The audit ids a poll reads: the holes of ``mark`` and everything above it up to ``top``."""
    ranges = [(hole.first, hole.last) for hole in mark.holes]
    if top > mark.audit_id:
        ranges.append((mark.audit_id + 1, top))
    return ranges


def _in_ranges(ranges: Sequence[tuple[int, int]]) -> ColumnElement[bool]:
    return or_(*(AuditEntry.id.between(first, last) for first, last in ranges))


def group_statement(ranges: Sequence[tuple[int, int]]) -> Select[Any]:
    """The audit rows in ``ranges`` grouped by what was written, by whom, from which package:
    how many rows, records, records deleted, imports undone and imports recorded."""
    log = AuditEntry

    def records_where(action: str) -> Any:
        return func.count(case((log.action == action, log.record_id)).distinct())

    def rows_where(action: str) -> Any:
        return func.count(case((log.action == action, 1)))

    return (select(log.entity, log.installation_id, log.user_name, log.package_id,
                   func.count().label("rows"), func.count(log.record_id.distinct()).label("records"),
                   records_where("delete").label("deleted"), rows_where(UNDO_ACTION).label("undone"),
                   rows_where(IMPORT_ACTION).label("imported"))
            .where(_in_ranges(ranges))
            .group_by(log.entity, log.installation_id, log.user_name, log.package_id))


def ids_statement(ranges: Sequence[tuple[int, int]]) -> Select[str, str, str | None, str]:
    """The records named by the audit rows in ``ranges`` (few: ``IDS_LIMIT``), oldest first."""
    log = AuditEntry
    return (select(log.entity, log.record_id, log.package_id, log.installation_id)
            .where(_in_ranges(ranges))
            .order_by(log.id).limit(IDS_LIMIT))


def present_statement(first: int, last: int) -> Select[int]:
    """The audit ids present between ``first`` and ``last`` (read from the index alone)."""
    return select(AuditEntry.id).where(AuditEntry.id.between(first, last)).order_by(AuditEntry.id)


def _holes(conn: Connection, mark: Mark, ranges: list[tuple[int, int]], total: int) -> tuple[Hole, ...]:
    """The ids of ``ranges`` still not seen: none when every id is there (the common case, told
    by the count alone); else each incomplete range's ids are read to find the gaps."""
    expected = sum(last - first + 1 for first, last in ranges)
    if total >= expected:
        return ()
    left = {(hole.first, hole.last): hole.polls_left - 1 for hole in mark.holes}
    holes: list[Hole] = []
    for first, last in ranges:
        polls = left.get((first, last), HOLE_POLLS)
        if polls <= 0:
            continue
        count = conn.execute(select(func.count()).where(AuditEntry.id.between(first, last))).scalar_one()
        if count >= last - first + 1:
            continue
        holes.extend(Hole(a, b, polls) for a, b in _gaps(first, last, conn.scalars(present_statement(first, last))))
    return tuple(holes[-MAX_HOLES:])


def _gaps(first: int, last: int, present: Iterable[int]) -> Iterator[tuple[int, int]]:
    """The runs of ids from ``first`` to ``last`` not among ``present`` (ascending)."""
    expected = first
    for found in present:
        if found > expected:
            yield expected, found - 1
        expected = found + 1
    if expected <= last:
        yield expected, last


def _top(conn: Connection) -> int:
    return int(conn.execute(select(func.max(AuditEntry.id))).scalar() or 0)


def _received_top(conn: Connection) -> int:
    return int(conn.execute(select(func.max(ReceivedPackage.id))).scalar() or 0)


def _keys_digest(conn: Connection) -> str:
    """A digest of the keys trusted by hand and the encryption recipients (small tables: whole)."""
    digest = hashlib.sha256()
    for row in conn.execute(select(TrustedKey.public_key, TrustedKey.orgs, TrustedKey.note)
                            .order_by(TrustedKey.public_key)):
        digest.update(repr(tuple(row)).encode("utf-8"))
    digest.update(b"\x00")
    for row in conn.execute(select(AgeRecipient.recipient, AgeRecipient.org, AgeRecipient.label)
                            .order_by(AgeRecipient.recipient)):
        digest.update(repr(tuple(row)).encode("utf-8"))
    return digest.hexdigest()
