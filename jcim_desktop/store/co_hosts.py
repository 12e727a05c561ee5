"""Joint events (SYNC_FORMAT §4 ``co_hosts``): the SQL that finds the events an org held.

An event belongs to its ``owner`` and counts in the KPIs for the owner only, but it is shown
at every org that held it: the owner and the orgs listed in ``co_hosts``. ``co_hosts`` is a
JSON list of org codes; matching the quoted code in its text form is portable SQL (SQLite and
PostgreSQL alike), with no JSON function of either dialect.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Text, cast, false, or_

from jcim_desktop.store.models import Event


def co_hosted_by(orgs: Iterable[str]) -> ColumnElement[bool]:
    """Events whose ``co_hosts`` name one of ``orgs`` (whoever owns them)."""
    listed = cast(Event.co_hosts, Text)
    found = [listed.contains(f'"{org}"', autoescape=True) for org in dict.fromkeys(orgs)]
    return or_(*found) if found else false()


def held_by(orgs: Iterable[str]) -> ColumnElement[bool]:
    """Events owned or co-hosted by one of ``orgs``."""
    wanted = list(dict.fromkeys(orgs))
    return or_(Event.owner.in_(wanted), co_hosted_by(wanted))
