"""受信状況: whose packages have arrived here in a fiscal year (SYNC_FORMAT §6, ``received``).

The secretariat's board of who has reported: for each organisation of §1, the installations
heard from in the year, the last package of each (sequence, date, records per entity), the
sequence numbers that never arrived, and the organisations with nothing at all. It reads the
log every import keeps (``received_packages``) and nothing else; it writes nothing. Only the
secretariat's window shows the board, but the query runs at any installation (a forum sees the
national packages it received from the secretariat).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.domain.orgs import ORG_CODES
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import ReceivedPackage

JAPAN = dt.timezone(dt.timedelta(hours=9), "JST")
MISSING_LIMIT = 100
"""At most this many missing sequence numbers are listed; ``missing_count`` gives them all."""
RECEIVED_PACKAGES = ReceivedPackage.__tablename__
"""The name an import's :class:`~jcim_desktop.services.changes.Changes` carries for the package
it logged (``sync.ImportOutcome.changes``), even when it changed no record: the board refreshes on it."""


def package_day(created_at: str) -> dt.date | None:
    """The day a package was written (its manifest's ``created_at``) in Japan time (+09:00); a
    time without an offset is taken as Japan time. None if it cannot be read."""
    try:
        moment = dt.datetime.fromisoformat(created_at)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JAPAN)
    return moment.astimezone(JAPAN).date()


def package_fiscal_year(created_at: str) -> int | None:
    """The fiscal year a package belongs to: that of :func:`package_day`."""
    day = package_day(created_at)
    return fiscal_year_of(day) if day is not None else None


def local_moment(text: str) -> dt.datetime | None:
    """A stored ISO date-time (``received_at``) in this computer's time zone; None if unreadable."""
    try:
        return dt.datetime.fromisoformat(text).astimezone()
    except (TypeError, ValueError):
        return None


def record_counts(counts: Mapping[str, Any]) -> dict[str, int]:
    """Records per entity that a package brought, from what the import logged.

    The import logs, per entity file, how many of its records were inserted, updated, unchanged
    or in conflict; each record is exactly one of these, so their sum is the file's record count.
    Entities with no record are left out.
    """
    out: dict[str, int] = {}
    for entity, value in counts.items():
        if isinstance(value, Mapping):
            number = sum(int(v) for v in value.values() if isinstance(v, int) and not isinstance(v, bool))
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            continue
        if number:
            out[str(entity)] = number
    return out


def missing_ranges(sequences: Iterable[int]) -> list[tuple[int, int]]:
    """The numbers between the lowest and the highest of ``sequences`` that are not among them,
    as inclusive ranges (sequences go up to 2^53 − 1: never expand them all)."""
    gaps: list[tuple[int, int]] = []
    previous: int | None = None
    for number in sorted(set(sequences)):
        if previous is not None and number > previous + 1:
            gaps.append((previous + 1, number - 1))
        previous = number
    return gaps


@dataclass(frozen=True)
class _Package:
    row: int
    package_id: str
    installation: str
    org: str
    sequence: int
    key_id: str
    created_at: str
    received_at: str
    records: int
    counts: dict[str, int]
    fiscal_year: int | None


def _packages(ctx: AppContext) -> list[_Package]:
    """Every package received from another installation, once each (the first time it arrived)."""
    p = ReceivedPackage
    seen: set[str] = set()
    out = []
    with ctx.reading() as session:
        rows = session.execute(
            select(p.id, p.package_id, p.installation, p.org, p.sequence, p.key_id, p.created_at, p.received_at,
                   p.records, p.counts).order_by(p.id)
        ).all()
    for row in rows:
        if row.installation == ctx.installation_id or row.package_id in seen:
            continue  # a package of this installation's own, imported back; or a package imported again
        seen.add(row.package_id)
        out.append(_Package(row.id, row.package_id, row.installation, row.org, int(row.sequence), row.key_id,
                            row.created_at, row.received_at, int(row.records), record_counts(row.counts or {}),
                            package_fiscal_year(row.created_at)))
    return out


def _installation(packages: list[_Package], fiscal_year: int) -> dict[str, Any] | None:
    """One installation's entry for the year (None when none of its packages belongs to it)."""
    this_year = [p for p in packages if p.fiscal_year == fiscal_year]
    if not this_year:
        return None
    so_far = [p.sequence for p in packages if p.fiscal_year is not None and p.fiscal_year <= fiscal_year]
    last = max(this_year, key=lambda p: (p.sequence, p.created_at, p.row))
    gaps = missing_ranges(so_far)
    listed: list[int] = []
    for first, end in gaps:
        room = MISSING_LIMIT - len(listed)
        if room <= 0:
            break
        listed.extend(range(first, min(end, first + room - 1) + 1))
    return {
        "installation": last.installation,
        "key_id": last.key_id,
        "packages": len(this_year),
        "first_sequence": min(so_far),
        "last_package": {
            "package_id": last.package_id, "sequence": last.sequence, "created_at": last.created_at,
            "received_at": last.received_at, "records": last.records, "counts": dict(last.counts),
        },
        "missing_sequences": listed,
        "missing_count": sum(end - first + 1 for first, end in gaps),
    }


def received(ctx: AppContext, fiscal_year: int) -> dict[str, Any]:
    """What ``jcim-desktop received --fy N --format json`` prints: per organisation of SYNC_FORMAT
    §1 (in its table order), the installations heard from in fiscal year N and their last package,
    and the organisations with no package of that year.

    - A package belongs to fiscal year N when its ``created_at``, in Japan time, falls on
      N-04-01 … (N+1)-03-31. A package imported twice counts once (its first arrival).
    - Per installation with a package of the year: ``packages`` (that year's), ``last_package``
      (the year's package with the highest sequence, and what it brought per entity),
      ``first_sequence`` and ``missing_sequences``: the lowest sequence received from it in any
      year up to the end of N, and the numbers between that and the highest one that never
      arrived (at most :data:`MISSING_LIMIT` listed; ``missing_count`` is the full number).
    - ``received`` is false, and ``installations`` empty, for an organisation with nothing in
      the year; ``missing`` lists those organisations, except this installation's own: it does
      not send itself packages (its org is received only when another installation of it sent
      one). Packages this installation wrote itself and imported back are not counted.
    """
    by_installation: dict[str, list[_Package]] = {}
    for package in _packages(ctx):
        by_installation.setdefault(package.installation, []).append(package)
    per_org: dict[str, list[dict[str, Any]]] = {code: [] for code in ORG_CODES}
    # Installations in the order they were first heard from.
    for packages in by_installation.values():
        entry = _installation(packages, fiscal_year)
        if entry is None:
            continue
        org = max(packages, key=lambda p: (p.sequence, p.row)).org
        if org in per_org:
            per_org[org].append(entry)
    orgs = [{"org": code, "received": bool(found), "installations": found} for code, found in per_org.items()]
    missing = [code for code, found in per_org.items() if not found and code != ctx.org]
    return {"fiscal_year": fiscal_year, "orgs": orgs, "missing": missing}
