"""The A4 PDF reports (reportlab): the KPI result report, a forum's activity plan and results,
matching information sheets, and the participation map; one module each, and ``common`` for
what they share.

Every report function is pure: it takes plain data (numbers, strings, dicts, lists) gathered by
``services.reports`` and writes one PDF, atomically (a temporary file in the same folder, then
``os.replace``), so a failed or interrupted build never leaves half a report behind. Text is
Japanese throughout and dates are in the era form; every page carries the org, the page number
("1 / 3") and the date of issue (発行日).

Row dicts of ``kpi_report``: ``table_rows`` are the rows of ``services.kpi_table.official_table``
as dicts (``section``, ``kpi`` (None on a heading), ``label``, ``value``, ``target``,
``achievement``, ``indent``, ``description``, ``is_rate``, ``numerator``, ``denominator``);
``by_org`` is ``(columns, rows)`` of ``by_org_table`` as dicts (columns: ``kpi``, ``label``,
``short_label``; rows: ``group``, ``org``, ``label``, ``kind``, ``values``).

reportlab is imported when this package is, so callers import it lazily (DESIGN.md: startup).
"""

from __future__ import annotations

from jcim_desktop.reports.pdf.common import CONGRESS, era
from jcim_desktop.reports.pdf.kpi import FUNNEL_STEPS, kpi_report
from jcim_desktop.reports.pdf.matching import matching_sheet
from jcim_desktop.reports.pdf.participation import (
    CLASS_COLOURS,
    NO_DATA,
    PARTICIPATION_CLASSES,
    participation_class,
    participation_map,
)
from jcim_desktop.reports.pdf.plan import plan_report

__all__ = [
    "CLASS_COLOURS",
    "CONGRESS",
    "FUNNEL_STEPS",
    "NO_DATA",
    "PARTICIPATION_CLASSES",
    "era",
    "kpi_report",
    "matching_sheet",
    "participation_class",
    "participation_map",
    "plan_report",
]
