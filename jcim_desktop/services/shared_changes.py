"""Colleagues' changes to a shared database: what they wrote since a mark, as the change notice
views already follow (:class:`~jcim_desktop.services.changes.Changes`), and who wrote what.

Several secretariat staff, each an installation of its own, write to one PostgreSQL database.
Within one window every write is announced (``ui.ops``); a colleague's is not, so the window asks
here now and then (``ui.shared_watch``): the first :func:`poll` only takes the mark, every later
one returns what the other installations wrote after it, and the next mark. The queries are
``store.watch``'s (their cost follows what was written since the last poll, not the database's
size). One's own writes are left out: they were announced when they were made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jcim_desktop.domain.kpi import KPI_ENTITIES
from jcim_desktop.services.changes import ALL, NOTHING, Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import watch
from jcim_desktop.store.models import AgeRecipient, ReceivedPackage, TrustedKey

Mark = watch.Mark
"""How far the database's changes have been seen (opaque to callers: handed back to :func:`poll`)."""

RECEIVED_PACKAGES = ReceivedPackage.__tablename__
KEY_ENTITIES = frozenset({TrustedKey.__tablename__, AgeRecipient.__tablename__})
"""What a change of the keys trusted by hand or of the encryption recipients is announced as
(the 同期 page follows ``trusted_keys``, the secretariat's registered keys' entity too)."""


@dataclass(frozen=True)
class Saved:
    """Records of one kind a colleague saved: ``count`` of ``entity``, ``deleted`` of them deleted."""

    person: str
    """The name they work under (``""``: not known)."""
    entity: str
    count: int
    deleted: int = 0


@dataclass(frozen=True)
class Imported:
    """A package a colleague imported, and how many records it wrote of each kind."""

    package_id: str
    importer: str | None
    """The person who imported it (None: the database does not say; ``""``: a name not known)."""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Summary:
    """Who wrote what since the last poll, for a sentence in the status bar (the window words it)."""

    saved: tuple[Saved, ...] = ()
    """Records saved, the kind with most first."""
    imported: tuple[Imported, ...] = ()
    undone_by: tuple[str, ...] = ()
    """People who undid imports."""

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone named (saving, importing, undoing), who did most first; ``""`` when not known."""
        weight: Counter[str] = Counter()
        for saved in self.saved:
            weight[saved.person] += saved.count
        for imported in self.imported:
            if imported.importer is not None:
                weight[imported.importer] += imported.records
        for person in self.undone_by:
            weight[person] += 1
        return tuple(person for person, _count in weight.most_common())

    @property
    def records(self) -> int:
        """Records saved or imported."""
        return sum(s.count for s in self.saved) + sum(i.records for i in self.imported)

    @property
    def empty(self) -> bool:
        return not (self.saved or self.imported or self.undone_by)


@dataclass(frozen=True)
class Poll:
    """One look at the database: the mark to hand to the next, and what colleagues changed."""

    mark: Mark
    changes: Changes = NOTHING
    """What views must refresh for (``ui.ops`` announces it as a write's)."""
    summary: Summary = field(default_factory=Summary)
    record_ids: tuple[tuple[str, str], ...] | None = ()
    """(entity, id) of the records colleagues wrote, when few; None: too many to list."""
    first: bool = False
    """The first poll: it took the mark and reports nothing."""


def poll(ctx: AppContext, mark: Mark | None = None) -> Poll:
    """What installations other than ``ctx``'s wrote since ``mark`` (None: nothing yet; the mark
    of now is taken). ``DatabaseUnreachable`` (a user error) when the server cannot be reached."""
    with watch.snapshot(ctx.db.engine) as conn:
        if mark is None:
            return Poll(watch.newest_mark(conn), first=True)
        new_mark, seen = watch.changes_since(conn, mark, ctx.installation_id)
    return Poll(new_mark, changes_of(seen), summary_of(seen), seen.record_ids)


class ChangeWatch:
    """Polls for one installation, keeping the mark between polls (the first poll takes it).

    Not for two threads at once: the window runs one poll at a time, off the GUI thread."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.mark: Mark | None = None

    def poll(self) -> Poll:
        result = poll(self.ctx, self.mark)
        self.mark = result.mark
        return result


def changes_of(seen: watch.Seen) -> Changes:
    """The change notice of what others wrote."""
    if seen.replaced or any(g.undone for g in seen.groups):
        # A restored database, or an import undone (its records put back as they were, unlogged).
        return Changes(frozenset({ALL}), kpis=True)
    entities = {g.entity for g in seen.groups if g.entity != watch.IMPORTS}
    if seen.received or any(g.merged or g.entity == watch.IMPORTS for g in seen.groups):
        entities.add(RECEIVED_PACKAGES)
    if seen.keys:
        entities |= KEY_ENTITIES
    ids = frozenset(record_id for _entity, record_id in seen.record_ids or ())
    return Changes(frozenset(entities), ids, kpis=bool(entities & KPI_ENTITIES))


def summary_of(seen: watch.Seen) -> Summary:
    """Who saved, imported or undid what (changes without a person — keys, packages received
    with no record changed, a restored database — have no sentence)."""
    saved: Counter[tuple[str, str]] = Counter()
    deleted: Counter[tuple[str, str]] = Counter()
    imported: dict[str, tuple[str | None, Counter[str]]] = {}
    undone: list[str] = []
    for group in seen.groups:
        if group.entity == watch.IMPORTS:
            if group.undone and group.user_name not in undone:
                undone.append(group.user_name)
            if group.imported and group.package_id is not None:
                imported.setdefault(group.package_id, (group.user_name, Counter()))
        elif group.merged:
            assert group.package_id is not None
            _importer, counts = imported.setdefault(group.package_id, (group.importer, Counter()))
            counts[group.entity] += group.records
        else:
            saved[(group.user_name, group.entity)] += group.records
            deleted[(group.user_name, group.entity)] += group.deleted
    return Summary(
        tuple(Saved(person, entity, count, deleted[(person, entity)])
              for (person, entity), count in saved.most_common()),
        tuple(Imported(package_id, importer, dict(counts.most_common()))
              for package_id, (importer, counts) in imported.items()),
        tuple(undone),
    )
