"""What an operation changed: the one value views hear about after every write.

Modelled on Anki's ``OpChanges``. A service that writes returns either a :class:`Changes` or a
value with a ``changes`` attribute (a saved :class:`~jcim_desktop.services.records.Record`, an
import report …); the UI's ``ops`` announces it once on the window's bus when the operation is
done, and each view decides from it whether what it shows may be stale. No view is told by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from jcim_desktop.domain.kpi import KPI_ENTITIES

ALL = "*"
"""An entity name meaning every entity (a sync import, demo data, a restored backup)."""


@dataclass(frozen=True)
class Changes:
    """Entities and record ids written, whether KPI figures may move, whether settings changed.

    ``ids`` is empty when the writer did not name them (bulk work); a view then treats every
    record of ``entities`` as changed.
    """

    entities: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    kpis: bool = False
    settings: bool = False

    @classmethod
    def records(cls, entity: str, ids: Iterable[str] = ()) -> Changes:
        """Records of one entity were written: KPIs may move when the entity counts in them."""
        return cls(frozenset({entity}), frozenset(ids), kpis=entity in KPI_ENTITIES)

    @classmethod
    def everything(cls) -> Changes:
        return cls(frozenset({ALL}), kpis=True, settings=True)

    @classmethod
    def of_settings(cls) -> Changes:
        return cls(settings=True)

    @property
    def empty(self) -> bool:
        return not (self.entities or self.kpis or self.settings)

    def touches(self, *entities: str) -> bool:
        """Whether records of any of ``entities`` may have changed."""
        return ALL in self.entities or any(entity in self.entities for entity in entities)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.entities | other.entities,
            self.ids | other.ids,
            self.kpis or other.kpis,
            self.settings or other.settings,
        )


NOTHING = Changes()


@runtime_checkable
class HasChanges(Protocol):
    """A write's result that says what it changed (Anki's ``HasChangesProperty``)."""

    @property
    def changes(self) -> Changes: ...


@dataclass(frozen=True)
class WithChanges:
    """Any value returned by a write together with what the write changed."""

    value: object
    changes: Changes = field(default=NOTHING)


def changes_of(result: object) -> Changes:
    """What ``result`` (a write's return value) says it changed; nothing when it says nothing."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, HasChanges):
        return result.changes
    return NOTHING
