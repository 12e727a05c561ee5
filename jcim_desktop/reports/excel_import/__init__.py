"""Excel import: the needs-survey and activity-plan templates, and reading them back row by row.

Nothing here touches the database. ``read_needs_sheet`` / ``read_events_sheet`` turn a workbook
into one ``RowResult`` per data row (the record's ``data`` or the problems of its cells, each
naming the row and column in Japanese) plus sheet-level ``problems`` (not an .xlsx, missing
columns, merged header cells, an empty sheet). ``services/excel_import.py`` applies the entity
rules and writes. A broken or hostile file never raises out of a reader: every openpyxl, zip or
XML error becomes a Japanese problem. openpyxl is imported lazily (it costs ~0.08 s at start);
with ``defusedxml`` installed it parses untrusted workbooks safely.

The modules, by what they do: ``layout`` (sheet names and columns), ``results``, ``workbook``
(opening a foreign file safely), ``cells`` (cell text and dates), ``reading`` (headers and rows
of any sheet), ``local_governments`` (who a person meant), ``needs`` and ``events`` (each
sheet's rules), ``templates`` (writing the two workbooks).
"""

from __future__ import annotations

from jcim_desktop.reports.excel_import.cells import parse_cell_date
from jcim_desktop.reports.excel_import.events import read_events_sheet
from jcim_desktop.reports.excel_import.layout import (
    CHOICES_SHEET,
    EVENTS_COLUMNS,
    EVENTS_SHEET,
    EXAMPLE_MARK,
    HOWTO_SHEET,
    LG_LIST_SHEET,
    NEEDS_COLUMNS,
    NEEDS_SHEET,
    TEMPLATE_ROWS,
    Column,
)
from jcim_desktop.reports.excel_import.local_governments import resolve_local_government
from jcim_desktop.reports.excel_import.needs import read_needs_sheet
from jcim_desktop.reports.excel_import.reading import MAX_DATA_ROWS, PROGRESS_EVERY, RowConverter
from jcim_desktop.reports.excel_import.results import CellError, Progress, RowResult, SheetResult
from jcim_desktop.reports.excel_import.templates import write_events_template, write_needs_template
from jcim_desktop.reports.excel_import.workbook import NOT_XLSX, OLD_OR_LOCKED, UNSAFE_XML

__all__ = [
    "CHOICES_SHEET",
    "EVENTS_COLUMNS",
    "EVENTS_SHEET",
    "EXAMPLE_MARK",
    "HOWTO_SHEET",
    "LG_LIST_SHEET",
    "MAX_DATA_ROWS",
    "NEEDS_COLUMNS",
    "NEEDS_SHEET",
    "NOT_XLSX",
    "OLD_OR_LOCKED",
    "PROGRESS_EVERY",
    "TEMPLATE_ROWS",
    "UNSAFE_XML",
    "CellError",
    "Column",
    "Progress",
    "RowConverter",
    "RowResult",
    "SheetResult",
    "parse_cell_date",
    "read_events_sheet",
    "read_needs_sheet",
    "resolve_local_government",
    "write_events_template",
    "write_needs_template",
]
