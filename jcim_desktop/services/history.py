"""Past years and trends (年度推移): every KPI by fiscal year, official where the year is closed
(SYNC_FORMAT §6 ``history``).

A fiscal year is listed when it has records that can count in the tally (§5), KPI targets, or a
closed tally. Where a ``closed_tallies`` record gives a KPI's total (every KPI for a year closed
from this application, the KPIs named for published figures), that is the year's figure and it is
marked closed; the other KPIs show the live figure computed from the records. The live tally is
computed only for the years that need it, and the per-year scan only where the year has records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.errors import ValidationError
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries, years


@dataclass(frozen=True)
class YearFigure:
    """One KPI's figure in one fiscal year."""

    fiscal_year: int
    kpi: str
    total: float
    """The official (closed) figure where ``closed``, else the live one; a rate as a fraction."""
    target: float | None
    closed: bool
    source: str | None
    """Where a closed figure comes from: ``app`` (年度確定) or ``published`` (公表値); None if live."""

    @property
    def achievement(self) -> float | None:
        """達成率: the figure ÷ the target (None without a target)."""
        return kpi_rules.achievement(self.total, self.target)


def _number(kpi: str, value: Any) -> float:
    """A count as an int where it is whole, a rate as a float."""
    number = float(value)
    if not kpi_rules.KPI_BY_CODE[kpi].is_rate and number.is_integer():
        return int(number)
    return number


def _closed_total(row: queries.ClosedRow | None, kpi: str) -> Any:
    if row is None:
        return None
    entry = row.kpis.get(kpi)
    return entry.get("total") if isinstance(entry, dict) else None


def _target(row: queries.ClosedRow | None, kpi: str, current: dict[str, float]) -> Any:
    """The target beside a figure, as ``tally`` gives it: for an official figure, the target its
    closed tally holds (a year closed from the tally keeps the target it was closed against; a
    published figure without one takes the current target); otherwise the year's current target."""
    entry = row.kpis.get(kpi) if row is not None else None
    if isinstance(entry, dict) and row is not None:
        if row.source == "app" and "target" in entry:
            return entry["target"]
        if row.source != "app" and entry.get("target") is not None:
            return entry["target"]
    return current.get(kpi)


def _check_kpi(kpi: str | None) -> tuple[str, ...]:
    if kpi is None:
        return kpi_rules.KPI_CODES
    if kpi not in kpi_rules.KPI_BY_CODE:
        raise ValidationError({"kpi": f"KPI「{kpi}」はありません（{', '.join(kpi_rules.KPI_CODES)}）。"})
    return (kpi,)


def year_figures(ctx: AppContext, kpi: str | None = None) -> dict[int, dict[str, YearFigure]]:
    """fiscal year (ascending) → KPI code → its figure, for every year that has records, targets or
    a closed tally; with ``kpi``, that KPI only (an unknown code: ValidationError naming it)."""
    codes = _check_kpi(kpi)
    counts_needed = any(not kpi_rules.KPI_BY_CODE[code].is_rate for code in codes)
    out: dict[int, dict[str, YearFigure]] = {}
    with ctx.db.engine.connect() as conn:
        with_records = years.fiscal_years_with_records(conn)
        targets = years.targets_by_year(conn)
        closed = queries.closed_tallies(conn)
        for fy in sorted(with_records | set(targets) | set(closed)):
            row = closed.get(fy)
            live: dict[str, Any] = {}
            if any(_closed_total(row, code) is None for code in codes):
                if fy in with_records and counts_needed:
                    facts = queries.collect_tally_facts(conn, fy)
                else:  # nothing dated in the year: only the rates can be other than 0
                    facts = kpi_rules.TallyFacts(fy)
                    facts.admin_members, facts.mayors_council_members = queries.municipality_status_counts(
                        conn, fiscal_year_bounds(fy)[1])
                live = kpi_rules.assemble_tally(facts, {})["kpis"]  # type: ignore[assignment]
            year: dict[str, YearFigure] = {}
            for code in codes:
                official = _closed_total(row, code)
                target = _target(row if official is not None else None, code, targets.get(fy, {}))
                year[code] = YearFigure(
                    fiscal_year=fy, kpi=code,
                    total=_number(code, official if official is not None else live[code]["total"]),
                    target=None if target is None else _number(code, target),
                    closed=official is not None,
                    source=row.source if official is not None and row is not None else None,
                )
            out[fy] = year
    return out


def history(ctx: AppContext, kpi: str | None = None) -> dict[str, Any]:
    """What ``history --format json`` prints (SYNC_FORMAT §6):
    ``{"years": {"2023": {"<kpi code>": {"total", "target", "closed"}}}}``, years ascending."""
    return {
        "years": {
            str(fy): {
                code: {"total": figure.total, "target": figure.target, "closed": figure.closed}
                for code, figure in figures.items()
            }
            for fy, figures in year_figures(ctx, kpi).items()
        }
    }
