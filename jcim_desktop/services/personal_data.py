"""Personal data (個人情報) in the files this installation writes: how many contacts a file holds.

The ``contact`` of a need or a seed (SYNC_FORMAT §4: the name, department, e-mail address and
telephone number of the person to ask) is personal data. A sync package or an Excel list holds
contacts only when the person ticks 連絡先を含める, and the window then says plainly what the file
will contain: 自治体ニーズ N 件・シーズ M 件の担当者の氏名・部署・メールアドレス・電話番号. The counts
come from here: the live records the file would hold that have a contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, func, select

from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import Need, Seed

PERSONAL_ENTITIES: tuple[str, ...] = ("needs", "seeds")
"""The entities whose records carry a contact."""

_MODELS: dict[str, Any] = {"needs": Need, "seeds": Seed}


@dataclass(frozen=True)
class ContactCounts:
    """How many records with a contact a file holds, by entity (None: the file has no records of
    that entity at all, e.g. an Excel list of seeds has no needs)."""

    needs: int | None
    seeds: int | None

    @property
    def total(self) -> int:
        return (self.needs or 0) + (self.seeds or 0)


def has_contact(model: Any) -> Any:
    """The SQL condition: the record has a contact (not NULL, not a JSON ``null``), read from the
    column's JSON text (the same SQL on SQLite and PostgreSQL)."""
    return func.coalesce(cast(model.contact, Text), "null") != "null"


def count_with_contact(ctx: AppContext, entity: str, where: Iterable[Any] = ()) -> int:
    """How many live records of ``entity`` (needs or seeds) with a contact match ``where``."""
    model = _MODELS[entity]
    stmt = select(func.count()).select_from(model).where(model.deleted.is_(False), has_contact(model), *where)
    with ctx.db.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def package_contact_counts(ctx: AppContext, scope: str = "org") -> ContactCounts:
    """The contacts a sync package of ``scope`` would hold if contacts are included: those of the
    records this installation may write (``org``), or of every record it holds (``national``),
    as ``services.sync.export_package`` selects them (deleted records carry no data)."""
    owners = None if scope == "national" else sorted(ctx.writable_owners())
    counts = {}
    for entity, model in _MODELS.items():
        where = [] if owners is None else [model.owner.in_(owners)]
        counts[entity] = count_with_contact(ctx, entity, where)
    return ContactCounts(needs=counts["needs"], seeds=counts["seeds"])


PERSONAL_FIELDS_TEXT = "担当者の氏名・部署・メールアドレス・電話番号"


def describe(counts: ContactCounts | None) -> str:
    """In Japanese, for the command line: what personal data a file holds (``counts``) or that
    it holds none (None: contacts not included). The window says the same through its own
    translated texts (``ui/personal_data.py``)."""
    if counts is None:
        return "個人情報（担当者連絡先）は含まれません。"
    parts = []
    if counts.needs is not None:
        parts.append(f"自治体ニーズ {counts.needs:,} 件")
    if counts.seeds is not None:
        parts.append(f"シーズ {counts.seeds:,} 件")
    return f"このファイルには個人情報（{'・'.join(parts)}の{PERSONAL_FIELDS_TEXT}）が含まれます。"
