"""Opening a workbook someone else made, safely: an .xls, a password, a damaged zip, hostile XML
(refused by ``defusedxml``) each become one Japanese problem (``Unreadable``), never a traceback.
Rows are read one at a time; merged cells are found by scanning the sheet's XML in chunks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NOT_XLSX = (
    "このファイルは Excel（.xlsx）形式ではありません。Excel で開いて「名前を付けて保存」から"
    "「Excel ブック（*.xlsx）」を選んで保存し直し、もう一度取り込んでください。"
)
OLD_OR_LOCKED = (
    "このファイルは古い Excel 形式（.xls）か、パスワードで保護された Excel ファイルです。"
    "パスワードを外し、「Excel ブック（*.xlsx）」として保存し直してから取り込んでください。"
)
UNSAFE_XML = (
    "このファイルには安全でない XML の記述（外部エンティティ等）が含まれているため読み込みません。"
    "アプリで作ったテンプレートに記入し直してください。"
)


class Unreadable(Exception):
    """A sheet-level problem; ``args[0]`` is the Japanese message."""


def is_defused_error(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps the error in a ValueError)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if type(seen).__module__.startswith("defusedxml"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def open_workbook(path: Path) -> Any:
    """The workbook at ``path``, read-only with values (not formulas), or ``Unreadable``."""
    if not path.exists():
        raise Unreadable(f"ファイル「{path}」が見つかりません。")
    if path.is_dir():
        raise Unreadable(f"「{path}」はフォルダです。Excel ファイル（.xlsx）を選んでください。")
    if path.suffix.lower() == ".xls":
        raise Unreadable(OLD_OR_LOCKED)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise Unreadable(NOT_XLSX)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        raise Unreadable(
            f"ファイル「{path.name}」を開けません。ほかのアプリで開いていれば閉じ、読み取りの権限を確かめてください。"
        ) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(OLD_OR_LOCKED)
    if not head.startswith(b"PK"):
        raise Unreadable(NOT_XLSX)
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise Unreadable(
            f"ファイル「{path.name}」を開けません。ほかのアプリで開いていれば閉じてから取り込んでください。"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a foreign file may break the reader in any way
        raise Unreadable(UNSAFE_XML if is_defused_error(exc) else NOT_XLSX) from None


def _damaged(row: int) -> str:
    return (
        f"ファイルの{row}行目付近が壊れているため読み取れません。Excel で開いて保存し直すか、"
        "テンプレートに記入し直してください。"
    )


def iter_rows(ws: Any, *, min_row: int = 1, max_row: int | None = None, max_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, values)``; a parse error becomes ``Unreadable``. Only ``next`` is guarded,
    so an exception raised by the caller's code (a progress callback cancelling) passes through."""
    number = min_row - 1
    try:
        rows = ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(UNSAFE_XML if is_defused_error(exc) else _damaged(min_row)) from None
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001
            raise Unreadable(UNSAFE_XML if is_defused_error(exc) else _damaged(number + 1)) from None
        number += 1
        yield number, values


_MERGE_RE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?)"')


def merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int, str]]:
    """``(min_col, min_row, max_col, max_row, ref)`` of each merged range of a read-only sheet.

    Read-only worksheets do not expose merged cells, and ``<mergeCells>`` comes after the cell
    data, so the sheet's XML is scanned in chunks (it is never held whole in memory).
    """
    from openpyxl.utils.cell import range_boundaries

    archive, member = getattr(wb, "_archive", None), getattr(ws, "_worksheet_path", None)
    if archive is None or member is None:
        return []
    refs: set[str] = set()
    try:
        with archive.open(member) as src:
            tail = b""
            while chunk := src.read(1 << 20):
                data = tail + chunk
                refs.update(m.group(1).decode("ascii") for m in _MERGE_RE.finditer(data))
                tail = data[-256:]
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(_damaged(1)) from exc
    found = []
    for ref in sorted(refs):
        min_col, min_row, max_col, max_row = range_boundaries(ref.upper())
        if (min_col, min_row) != (max_col, max_row):
            found.append((min_col, min_row, max_col, max_row, ref.upper()))
    return found
