"""What a person reads in a widget tree, and which of it is in the wrong language.

``visible_texts(widget)`` collects the texts of labels, buttons, group boxes, tabs, combo items,
placeholders, tool tips, window titles, menus, list items, headers and the cells of item views.
Record data (titles, notes, municipality names … typed by people or from the master data) may
be Japanese in the English window: ``record_runs(ctx)`` lists the Japanese runs found in the
database and the municipality register, and a text is allowed when each of its Japanese runs
is one of those.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from sqlalchemy import inspect, text

JAPANESE_RUN = re.compile(r"[\u3005\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_./\\@-])[A-Za-z]{2,}(?![A-Za-z0-9_./\\@-])")
ALLOWED_ENGLISH = frozenset({
    "PDF", "Excel", "ID", "JCIM", "Desktop", "KPI", "CSV", "KB", "MB", "GB", "URL", "Ed", "SQLite",
    "jcimsync", "xlsx", "FY", "JIS", "LG", "UTC", "Ctrl", "Shift", "Alt", "Enter", "Del", "Esc", "Tab",
    "Space", "Backspace", "Home", "End", "PgUp", "PgDown", "Ins", "Delete", "F1", "F2", "F5", "Meta",
    "age", "vv", "hlc", "org", "Noto", "IPAex", "Gothic", "NETIS",
    "OS", "Windows", "macOS", "Secret", "Service",  # where the keys are kept (Secret Service: Linux's store)
    "PostgreSQL", "PGPASSWORD", "pgpass",  # the shared database of a secretariat, and where its password is kept
})
"""English a Japanese window may show: product and format names, key names, units."""
PATHLIKE = re.compile(r"\S*[/\\]\S*|\S+@\S+|[0-9a-f]{8,}|https?://\S+")
MNEMONIC = re.compile(r"\(&?[A-Za-z0-9]\)|&(?=[^&\s])")
HTML_TAG = re.compile(r"<[^>]+>|&[a-z]+;")


def _model_texts(model: QAbstractItemModel, view: QAbstractItemView, limit: int = 60) -> Iterator[tuple[str, str]]:
    name = type(model).__name__

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:  # a list model (columnCount is private in Qt)
            return 1

    for section in range(columns(QModelIndex())):
        value = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(value, str):
            yield f"{name} header {section}", value

    def walk(parent: QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        rows = min(model.rowCount(parent), limit)
        for row in range(rows):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str) and value:
                        yield f"{name} cell {row},{column}", value
                if depth < 2 and column == 0 and _has_children(model, index):
                    yield from walk(index, depth + 1)

    yield from walk(QModelIndex(), 0)


def _has_children(model: QAbstractItemModel, index: QModelIndex) -> bool:
    try:
        return bool(model.hasChildren(index))
    except TypeError:  # a list or table model: no children
        return False


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything a person can read in ``root`` and its children."""
    found: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        where = f"{type(widget).__name__}:{widget.objectName()}"
        if widget.isWindow() and widget.windowTitle():
            found.append((f"{where} title", widget.windowTitle()))
        if widget.toolTip():
            found.append((f"{where} tooltip", widget.toolTip()))
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel):
            found.append((where, widget.text()))
        elif isinstance(widget, QAbstractButton):
            found.append((where, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((where, widget.title()))
        elif isinstance(widget, QTabBar):
            found += [(f"{where} tab", widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            found += [(f"{where} item", widget.itemText(i)) for i in range(widget.count())]
            if widget.isEditable() and widget.lineEdit() is not None:
                found.append((f"{where} placeholder", widget.lineEdit().placeholderText()))
        elif isinstance(widget, QLineEdit):
            found.append((f"{where} placeholder", widget.placeholderText()))
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            found.append((f"{where} placeholder", widget.placeholderText()))
            if widget.isReadOnly():
                found.append((where, widget.toPlainText()))
        elif isinstance(widget, QMenu):
            found.append((f"{where} menu", widget.title()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found += list(_model_texts(widget.model(), widget))
        for action in widget.actions():
            found.append((f"{where} action", action.text()))
            if action.menu() is not None:
                found += [(f"{where} action", a.text()) for a in action.menu().actions()]
    return [(where, without_mnemonic(text)) for where, text in found if text]


def without_mnemonic(text: str) -> str:
    """``ファイル(&F)`` → ``ファイル``, ``&Open`` → ``Open``."""
    return MNEMONIC.sub("", text).replace("&&", "&")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def record_runs(ctx: Any) -> set[str]:
    """Japanese runs (and English words) of the record data and master data ``ctx`` holds: what
either window may show whatever its language."""
    runs: set[str] = set()
    with ctx.db.engine.connect() as conn:
        found = inspect(conn)  # either engine
        for table in found.get_table_names():
            columns = [column["name"] for column in found.get_columns(table)]
            if "owner" not in columns:
                continue
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for column, value in zip(columns, row, strict=True):
                    if column == "owner":
                        continue
                    if isinstance(value, (dict, list)):  # JSON, as PostgreSQL gives it
                        value = json.dumps(value, ensure_ascii=False)
                    if not isinstance(value, str):
                        continue
                    values = [value]
                    if value[:1] in "[{":
                        try:
                            values = list(_strings(json.loads(value)))
                        except ValueError:
                            pass
                    for item in values:
                        runs.update(JAPANESE_RUN.findall(item))
                        runs.update(ENGLISH_WORD.findall(item))  # SAR, UAV … in a seed's title
    for lg in ctx.registry.municipalities():  # prefecture names are translated, municipality names not
        for name in (lg.name, lg.full_name, lg.name_kana):
            runs.update(JAPANESE_RUN.findall(name))
    return runs


def japanese_outside_data(texts: Iterable[tuple[str, str]], allowed: set[str]) -> list[tuple[str, str]]:
    """Texts with Japanese that is not record data (what an English window must not show)."""
    return [(where, value) for where, value in texts
            if any(run not in allowed for run in JAPANESE_RUN.findall(value))]


def english_outside_allow_list(texts: Iterable[tuple[str, str]], allowed: set[str]) -> list[tuple[str, str]]:
    """Texts with English words that are neither allowed nor record data (Japanese window)."""
    problems = []
    for where, value in texts:
        plain = PATHLIKE.sub(" ", HTML_TAG.sub(" ", value))
        words = [w for w in ENGLISH_WORD.findall(plain) if w not in ALLOWED_ENGLISH and w not in allowed]
        if words:
            problems.append((where, value))
    return problems
