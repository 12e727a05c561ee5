"""Excel import: the needs-survey and activity-plan templates, and reading them back row by row.

Nothing here touches the database. ``read_needs_sheet`` / ``read_events_sheet`` turn a workbook
into one ``RowResult`` per data row (the record's ``data`` or the problems of its cells, each
naming the row and column in Japanese) plus sheet-level ``problems`` (not an .xlsx, missing
columns, merged header cells, an empty sheet). ``services/excel_import.py`` applies the entity
rules and writes. A broken or hostile file never raises out of a reader: every openpyxl, zip or
XML error becomes a Japanese problem. openpyxl is imported lazily (it costs ~0.08 s at start);
with ``defusedxml`` installed it parses untrusted workbooks safely.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.domain.fiscal import (
    calendar_year_for_month,
    format_era_date,
    format_fiscal_year,
    parse_era_date,
    parse_fiscal_year,
)
from jcim_desktop.domain.lgcodes import (
    LocalGovernment,
    LocalGovernmentRegistry,
    check_digit,
    default_registry,
    lg_code_error,
)
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.domain.vocab import EVENT_TYPES, FACILITY_TYPES

_log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""``progress(done, total, text)``; ``total`` is 0 when it is not known."""

NEEDS_SHEET = "ニーズ調査票"
EVENTS_SHEET = "活動計画"
CHOICES_SHEET = "選択肢"
LG_LIST_SHEET = "自治体一覧"
HOWTO_SHEET = "記入方法"
EXAMPLE_MARK = "例）"

PROGRESS_EVERY = 500
MAX_DATA_ROWS = 200_000
TEMPLATE_ROWS = 20_000  # dropdowns and formats cover this many rows
_HEADER_SCAN_ROWS = 30
_HEADER_SCAN_COLS = 60
_META_KEYS = {"年度": "fiscal_year", "調査名": "survey", "組織": "org"}

FORUM_EVENT_TYPES: frozenset[str] = frozenset({"forum", "seminar", "workshop", "matching_event", "pitch_event"})
"""Event types that count in フォーラム実施数 (the same rule as the demo data and the dialogs)."""

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


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem of one cell: ``5行目 C列（自治体）: …``. ``column_letter`` is "" for a whole row."""

    row: int
    column_letter: str
    field_label: str
    message: str

    def __str__(self) -> str:
        where = f"{self.row}行目"
        if self.column_letter:
            where += f" {self.column_letter}列"
        if self.field_label:
            where += f"（{self.field_label}）"
        return f"{where}: {self.message}"


@dataclass
class RowResult:
    """A data row: ``data`` ready for the entity rules, or ``None`` with ``errors``."""

    row_number: int
    data: dict[str, Any] | None
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


@dataclass
class SheetResult:
    """What a sheet holds. ``problems`` are sheet-level: while there is one, nothing is importable."""

    kind: str
    rows: list[RowResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sheet_name: str = ""
    header_row: int = 0
    # entity field -> (column letter, label): where the entity rules' messages belong
    field_columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    fiscal_year: int | None = None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def good_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def bad_count(self) -> int:
        return self.total - self.good_count

    @property
    def errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]

    def good_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]


# -- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the name used in messages
    header: str  # what the template writes in row 1
    width: float
    required: bool  # the column must be present
    aliases: tuple[str, ...] = ()
    note: str = ""  # 記入方法: how to fill it in
    example: Any = None


NEEDS_COLUMNS: tuple[Column, ...] = (
    Column("lg", "自治体", "自治体（名前またはコード）", 26, True,
           ("自治体名", "自治体名称", "市区町村", "市区町村名", "自治体コード", "団体コード", "地方公共団体コード"),
           "「広島県福山市」「福山市」のような名前か、6桁の団体コード（例: 342076）。同名の市町村があるときは都道府県名から。",
           "例）広島県福山市"),
    Column("title", "技術テーマ", "技術テーマ", 30, True, ("テーマ", "ニーズ名"),
           "求める技術を一言で。", "河川堤防の点検の効率化"),
    Column("facility1", "施設種別1", "施設種別1", 13, False, ("施設種別",),
           "▼の一覧から選ぶ（3つまで）。", "河川"),
    Column("facility2", "施設種別2", "施設種別2", 13, False, (), "", "道路"),
    Column("facility3", "施設種別3", "施設種別3", 13, False, (), "", None),
    Column("requirements", "求める内容・条件", "求める内容・条件", 50, True,
           ("求める内容", "内容・条件", "求める条件", "ニーズの内容"),
           "困っていること、求める性能・費用・時期などの条件。",
           "車両が入れない堤防を安く早く点検したい。"),
    Column("received_on", "受付日", "受付日", 14, True, ("受付年月日",),
           "2024/5/10、令和6年5月10日、R6.5.10 のいずれか。", dt.date(2024, 5, 10)),
    Column("department", "担当部署", "担当部署", 20, False, ("部署", "担当課", "所属"),
           "任意。", "建設局 河川課"),
    Column("contact_name", "担当者", "担当者", 14, False, ("担当者名", "氏名"), "任意。", "福山 太郎"),
    Column("email", "メール", "メール", 28, False, ("メールアドレス", "e-mail", "email", "mail"),
           "任意。", "kasen@example.lg.jp"),
    Column("phone", "電話", "電話", 16, False, ("電話番号", "tel"), "任意。", "084-000-0000"),
)

EVENTS_COLUMNS: tuple[Column, ...] = (
    Column("title", "活動・行事名", "活動・行事名", 40, True, ("活動名", "行事名", "活動・行事", "名称"),
           "活動・行事の名前。", "例）第1回 地方フォーラム"),
    Column("planned", "開催予定日", "開催予定日（計画表の書き方のまま）", 26, True, ("開催日", "予定日", "開催時期"),
           "計画表の書き方のまま（例: 7月頃、第2四半期、未定（4月）、6月上旬～7月中旬、R6.10.9）。", "7月頃"),
    Column("description", "内容", "内容", 50, False, ("概要", "活動内容"),
           "任意。", "講演とパネルディスカッション"),
    Column("event_type", "種別", "種別", 26, False, ("活動種別", "行事の種別"),
           "任意。▼の一覧から選ぶ。空欄は「その他」。", EVENT_TYPES["forum"]),
)

_NEEDS_FIELD_KEYS = {
    "lg_code": "lg", "title": "title", "facility_types": "facility1", "requirements": "requirements",
    "received_on": "received_on", "contact": "email",
}
_EVENTS_FIELD_KEYS = {"title": "title", "planned": "planned", "description": "description", "event_type": "event_type"}

_PAREN_TAIL = re.compile(r"[(\[【].*?[)\]】]")
_MARKS = re.compile(r"^[*※]+|[*※]+$|必須$")


def _norm_label(text: object) -> str:
    """Header text as matched: NFKC, no spaces, no （…） notes or required marks, case-folded."""
    if not isinstance(text, str):
        return ""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    s = _PAREN_TAIL.sub("", s)
    return _MARKS.sub("", s).casefold()


def _aliases(columns: Sequence[Column]) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in columns:
        for name in (column.label, column.header, *column.aliases):
            table.setdefault(_norm_label(name), column.key)
    return table


# -- workbook access ---------------------------------------------------------------------------


class _Unreadable(Exception):
    """A sheet-level problem; ``args[0]`` is the Japanese message."""


def _is_defused_error(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps the error in a ValueError)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if type(seen).__module__.startswith("defusedxml"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _open(path: Path) -> Any:
    if not path.exists():
        raise _Unreadable(f"ファイル「{path}」が見つかりません。")
    if path.is_dir():
        raise _Unreadable(f"「{path}」はフォルダです。Excel ファイル（.xlsx）を選んでください。")
    if path.suffix.lower() == ".xls":
        raise _Unreadable(OLD_OR_LOCKED)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise _Unreadable(NOT_XLSX)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        raise _Unreadable(
            f"ファイル「{path.name}」を開けません。ほかのアプリで開いていれば閉じ、読み取りの権限を確かめてください。"
        ) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Unreadable(OLD_OR_LOCKED)
    if not head.startswith(b"PK"):
        raise _Unreadable(NOT_XLSX)
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise _Unreadable(
            f"ファイル「{path.name}」を開けません。ほかのアプリで開いていれば閉じてから取り込んでください。"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a foreign file may break the reader in any way
        raise _Unreadable(UNSAFE_XML if _is_defused_error(exc) else NOT_XLSX) from None


def _damaged(row: int) -> str:
    return (
        f"ファイルの{row}行目付近が壊れているため読み取れません。Excel で開いて保存し直すか、"
        "テンプレートに記入し直してください。"
    )


def _iter_rows(ws: Any, *, min_row: int = 1, max_row: int | None = None, max_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, values)``; a parse error becomes ``_Unreadable``. Only ``next`` is guarded,
    so an exception raised by the caller's code (a progress callback cancelling) passes through."""
    number = min_row - 1
    try:
        rows = ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)
    except Exception as exc:  # noqa: BLE001
        raise _Unreadable(UNSAFE_XML if _is_defused_error(exc) else _damaged(min_row)) from None
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001
            raise _Unreadable(UNSAFE_XML if _is_defused_error(exc) else _damaged(number + 1)) from None
        number += 1
        yield number, values


_MERGE_RE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?)"')


def _merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int, str]]:
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
        raise _Unreadable(_damaged(1)) from exc
    found = []
    for ref in sorted(refs):
        min_col, min_row, max_col, max_row = range_boundaries(ref.upper())
        if (min_col, min_row) != (max_col, max_row):
            found.append((min_col, min_row, max_col, max_row, ref.upper()))
    return found


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """A cell as text (numbers without a trailing .0, dates as 2024/5/10)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value.year}/{value.month}/{value.day}"
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value).strip()


# -- dates ---------------------------------------------------------------------------------------

_YEARLESS = re.compile(r"(\d{1,2})\s*(?:月|/|-|\.)\s*(\d{1,2})\s*日?")
_DATE_FORMS = "2024/5/10、2024-05-10、令和6年5月10日、R6.5.10 のいずれかの形で入力してください。"


def parse_cell_date(value: Any, label: str, fiscal_year: int | None = None) -> dt.date | str:
    """A date cell (a real date, an Excel serial number, or text such as 令和6年5月10日), or a message."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date whose cell format was lost shows as its serial number (45422 = 2024-05-10).
        if 18_264 <= value < 73_051:  # 1950-01-01 … 2099-12-31
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        return f"{label}「{_text(value)}」を日付として読み取れません。{_DATE_FORMS}"
    text = unicodedata.normalize("NFKC", _text(value)).strip()
    try:
        return parse_era_date(text)
    except ValueError as exc:
        message = str(exc)
    match = _YEARLESS.fullmatch(text)
    if match:
        month, day = int(match[1]), int(match[2])
        if fiscal_year is None or not 1 <= month <= 12:
            return f"{label}「{text}」に年がありません。{_DATE_FORMS}"
        try:
            return dt.date(calendar_year_for_month(fiscal_year, month), month, day)
        except ValueError:
            return f"{label}「{text}」は存在しない日付です。"
    if "存在しません" in message or "正しくありません" in message:
        return f"{label}: {message}"
    return f"{label}「{_text(value)}」を日付として読み取れません。{_DATE_FORMS}"


# -- local governments -------------------------------------------------------------------------

_KANA_SUFFIXES = {
    "city": ("し",), "town": ("まち", "ちょう"), "village": ("むら", "そん"), "special_ward": ("く",),
    "prefecture": ("けん", "ふ", "と"),
}
_NAME_SUFFIXES = {"city": "市", "town": "町", "village": "村", "special_ward": "区", "prefecture": "県府都"}


class _LgIndex:
    """Exact lookup of what people write for a local government, in tiers: names, kana, short forms."""

    def __init__(self, registry: LocalGovernmentRegistry) -> None:
        self.registry = registry
        self.tiers: list[dict[str, list[LocalGovernment]]] = [{}, {}, {}]
        pref_kana = {e.pref_code: normalize_for_search(e.name_kana) for e in registry if e.is_prefecture}
        for entry in registry:
            name, full = normalize_for_search(entry.name), normalize_for_search(entry.full_name)
            kana = normalize_for_search(entry.name_kana)
            full_kana = kana if entry.is_prefecture else pref_kana.get(entry.pref_code, "") + kana
            self._add(0, entry, name, full)
            self._add(1, entry, kana, full_kana)
            short: list[str] = []
            if name[-1:] and name[-1] in _NAME_SUFFIXES[entry.kind] and len(name) > 1 and entry.name != "北海道":
                short += [name[:-1], full[:-1]]
            for suffix in _KANA_SUFFIXES[entry.kind]:
                if kana.endswith(suffix) and len(kana) > len(suffix) and entry.name != "北海道":
                    short += [kana[: -len(suffix)], full_kana[: -len(suffix)]]
                    break
            self._add(2, entry, *short)

    def _add(self, tier: int, entry: LocalGovernment, *keys: str) -> None:
        for key in keys:
            bucket = self.tiers[tier].setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    def resolve(self, value: Any) -> LocalGovernment | str:
        """The one local government ``value`` names, or a Japanese message saying what to do."""
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return self._by_number(value)
        text = unicodedata.normalize("NFKC", str(value)).strip()
        compact = "".join(text.split())
        if compact.isascii() and compact.isdigit():
            return self._by_digits(compact, text)
        key = normalize_for_search(text)
        for tier in self.tiers:
            hits = tier.get(key)
            if hits:
                return hits[0] if len(hits) == 1 else self._ambiguous(text, hits)
        suggestions = [e.full_name for e in self.registry.search(text, limit=3)]
        hint = f"（候補: {'、'.join(suggestions)}）" if suggestions else ""
        return (
            f"「{text}」という自治体が見つかりません{hint}。「{LG_LIST_SHEET}」シートにある名前"
            "（例: 広島県福山市）か、6桁の団体コード（例: 342076）を入力してください。"
        )

    def _by_digits(self, digits: str, text: str) -> LocalGovernment | str:
        if len(digits) == 5:
            digits += str(check_digit(digits))
        if len(digits) != 6:
            return f"団体コード「{text}」は6桁（または検査数字を除いた5桁）の数字で入力してください（例: 342076）。"
        entry = self.registry.get(digits)
        if entry is not None:
            return entry
        problem = lg_code_error(digits)
        if problem is not None:
            return f"団体コード {digits}: {problem}"
        return f"団体コード {digits} の自治体はありません。「{LG_LIST_SHEET}」シートで確かめてください。"

    def _by_number(self, number: int) -> LocalGovernment | str:
        # A code typed into a number cell loses its leading zero (011002 → 11002).
        if number < 0:
            return f"団体コード「{number}」は正しくありません。6桁の団体コード（例: 342076）を入力してください。"
        candidates: dict[str, LocalGovernment] = {}
        digits = str(number)
        if len(digits) <= 6:
            entry = self.registry.get(digits.zfill(6))
            if entry is not None:
                candidates[entry.lg_code] = entry
        if len(digits) <= 5:
            five = digits.zfill(5)
            entry = self.registry.get(five + str(check_digit(five)))
            if entry is not None:
                candidates[entry.lg_code] = entry
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        if len(candidates) > 1:
            return self._ambiguous(digits, list(candidates.values()))
        return self._by_digits(digits, digits)

    @staticmethod
    def _ambiguous(text: str, hits: list[LocalGovernment]) -> str:
        names = {e.name for e in hits}
        prefectures = [e.prefecture for e in hits]
        if len(names) == 1 and len(set(prefectures)) == len(hits):
            where = "と".join(prefectures) if len(prefectures) == 2 else "、".join(prefectures)
            return f"「{text}」は{where}にあります。都道府県名を付けてください（例: {hits[-1].full_name}）。"
        listed = "、".join(e.full_name for e in hits[:6]) + ("…" if len(hits) > 6 else "")
        return (
            f"「{text}」に当てはまる自治体が複数あります（{listed}）。"
            f"都道府県名から正式な名前（例: {hits[-1].full_name}）か、団体コードを入力してください。"
        )


@lru_cache(maxsize=4)
def _lg_index(registry: LocalGovernmentRegistry) -> _LgIndex:
    return _LgIndex(registry)


def resolve_local_government(registry: LocalGovernmentRegistry, value: Any) -> LocalGovernment | str:
    """What a person wrote for a local government (福山市, 広島県福山市, ふくやま, 34207, 342076)."""
    return _lg_index(registry).resolve(value)


# -- reading -------------------------------------------------------------------------------------------


@dataclass
class _Layout:
    sheet: Any
    name: str
    header_row: int
    columns: dict[str, list[int]]  # key -> column indexes (1-based); only facility keys may hold several


RowConverter = Callable[[int, Mapping[str, list[tuple[int, Any]]]], tuple[dict[str, Any] | None, list[CellError]]]


def _scan_header(ws: Any, aliases: Mapping[str, str]) -> tuple[int, dict[str, list[int]], bool]:
    """The best header row among the first rows: ``(row, key -> columns, sheet has any value)``."""
    best: tuple[int, dict[str, list[int]]] = (0, {})
    any_value = False
    for number, values in _iter_rows(ws, max_row=_HEADER_SCAN_ROWS, max_col=_HEADER_SCAN_COLS):
        found: dict[str, list[int]] = {}
        for index, value in enumerate(values, start=1):
            if not _is_blank(value):
                any_value = True
            key = aliases.get(_norm_label(value))
            if key is not None:
                found.setdefault(key, []).append(index)
        if len(found) > len(best[1]):
            best = (number, found)
    return best[0], best[1], any_value


def _locate(wb: Any, preferred: str, columns: Sequence[Column]) -> tuple[_Layout | None, bool]:
    aliases = _aliases(columns)
    names = list(wb.sheetnames)
    order = [preferred] if preferred in names else [n for n in names if n not in (HOWTO_SHEET, CHOICES_SHEET, LG_LIST_SHEET)]
    any_value = False
    for name in order:
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            continue
        row, found, has_value = _scan_header(ws, aliases)
        any_value = any_value or has_value
        if row and len(found) >= 2:
            return _Layout(ws, name, row, found), True
    return None, any_value


def _read_meta(wb: Any) -> dict[str, Any]:
    if HOWTO_SHEET not in wb.sheetnames:
        return {}
    meta: dict[str, Any] = {}
    for _number, values in _iter_rows(wb[HOWTO_SHEET], max_row=15, max_col=2):
        key = _META_KEYS.get(_text(values[0]) if values else "")
        if key is not None and len(values) > 1 and not _is_blank(values[1]):
            meta[key] = values[1]
    return meta


def _meta_fiscal_year(meta: Mapping[str, Any]) -> int | None:
    value = meta.get("fiscal_year")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 2000 <= value <= 2100:
        return int(value)
    if isinstance(value, str):
        try:
            return parse_fiscal_year(value)
        except ValueError:
            return None
    return None


def _read(
    path: Path | str,
    *,
    kind: str,
    preferred: str,
    columns: Sequence[Column],
    field_keys: Mapping[str, str],
    make_converter: Callable[[dict[str, Any], SheetResult], RowConverter | None],
    progress: Progress | None,
) -> SheetResult:
    result = SheetResult(kind)
    path = Path(path)
    try:
        wb = _open(path)
    except _Unreadable as exc:
        result.problems.append(str(exc.args[0]))
        return result
    reporter = _Reporter(progress) if progress is not None else None
    try:
        _read_open(wb, result, preferred, columns, field_keys, make_converter, reporter)
    except _CallbackFailed as exc:
        raise exc.original from None  # e.g. the person cancelled: not a problem of the file
    except _Unreadable as exc:
        result.rows = []
        result.problems.append(str(exc.args[0]))
    except Exception as exc:  # noqa: BLE001 - a foreign file may break the reader in any way
        _log.warning("could not read %s", path, exc_info=True)
        result.rows = []
        result.problems.append(
            UNSAFE_XML if _is_defused_error(exc) else
            f"このファイルを読み取れませんでした（{type(exc).__name__}）。Excel で開いて「Excel ブック（*.xlsx）」として"
            "保存し直すか、アプリで作ったテンプレートに記入し直してください。"
        )
    finally:
        wb.close()
    return result


class _CallbackFailed(Exception):
    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


class _Reporter:
    """Passes progress on; whatever the callback raises travels through the reader untouched."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, done: int, total: int, text: str = "") -> None:
        try:
            self.progress(done, total, text)
        except Exception as exc:
            raise _CallbackFailed(exc) from exc


def _read_open(
    wb: Any,
    result: SheetResult,
    preferred: str,
    columns: Sequence[Column],
    field_keys: Mapping[str, str],
    make_converter: Callable[[dict[str, Any], SheetResult], RowConverter | None],
    progress: Progress | None,
) -> None:
    layout, any_value = _locate(wb, preferred, columns)
    if layout is None:
        sheet = preferred if preferred in wb.sheetnames else "最初のシート"
        if not any_value:
            result.problems.append(
                f"シート（{sheet}）に何も入力されていません。アプリで作ったテンプレートに記入して取り込んでください。"
            )
        else:
            needed = "」「".join(c.label for c in columns if c.required)
            result.problems.append(
                f"見出しの行（「{needed}」など）が見つかりません。テンプレートの1行目を変更しないでください。"
            )
        if preferred in wb.sheetnames:
            _merged_header_problem(wb, wb[preferred], 0, result)
        return
    ws = layout.sheet
    result.sheet_name, result.header_row = layout.name, layout.header_row
    merged = _merged_header_problem(wb, ws, layout.header_row, result)
    by_key = {c.key: c for c in columns}
    for key, indexes in layout.columns.items():
        if len(indexes) > 1 and not key.startswith("facility"):
            letters = "と".join(f"{_column_letter(i)}列" for i in indexes)
            result.problems.append(f"「{by_key[key].label}」の列が{len(indexes)}つあります（{letters}）。1つにしてください。")
    if not merged:
        for column in columns:
            if column.required and column.key not in layout.columns:
                result.problems.append(f"必要な列「{column.label}」がありません。テンプレートの1行目を変更しないでください。")
    for field_name, key in field_keys.items():
        if key == "facility1":
            facility = sorted(i for k, v in layout.columns.items() if k.startswith("facility") for i in v)
            if facility:
                result.field_columns[field_name] = (_column_letter(facility[0]), "施設種別")
        elif key in layout.columns:
            result.field_columns[field_name] = (_column_letter(layout.columns[key][0]), by_key[key].label)
    meta = _read_meta(wb)
    convert = make_converter(meta, result)
    if result.problems or convert is None:
        return
    _read_rows(ws, layout, columns, convert, merged_cells=_merged_data_cells(wb, ws, layout), result=result, progress=progress)
    if not result.rows and not result.problems:
        result.problems.append(
            f"取り込むデータがありません。見出し（{layout.header_row}行目）の下の行に1件1行で記入してください"
            f"（「{EXAMPLE_MARK}」で始まる記入例の行は取り込みません）。"
        )


def _merged_header_problem(wb: Any, ws: Any, header_row: int, result: SheetResult) -> bool:
    ranges = _merged_ranges(wb, ws)
    if header_row:
        hits = [ref for (_c1, r1, _c2, r2, ref) in ranges if r1 <= header_row <= r2]
    else:
        hits = [ref for (_c1, r1, _c2, _r2, ref) in ranges if r1 <= _HEADER_SCAN_ROWS]
    if not hits:
        return False
    where = f"見出しの行（{header_row}行目）" if header_row else "見出しの行"
    result.problems.append(
        f"{where}に結合されたセルがあります（{'、'.join(hits[:5])}）。セルの結合を解除し、"
        "1つの列に1つの見出しを入れてください（テンプレートの1行目は変更しないでください）。"
    )
    return True


def _merged_data_cells(wb: Any, ws: Any, layout: _Layout) -> dict[int, list[tuple[int, str]]]:
    """Row -> ``(column, range)`` of merged cells below the header (only the first cell keeps a value)."""
    used = {i for indexes in layout.columns.values() for i in indexes}
    cells: dict[int, list[tuple[int, str]]] = {}
    for c1, r1, c2, r2, ref in _merged_ranges(wb, ws):
        if r2 <= layout.header_row:
            continue
        for col in range(c1, c2 + 1):
            if col in used:
                for row in range(max(r1, layout.header_row + 1), r2 + 1):
                    cells.setdefault(row, []).append((col, ref))
    return cells


def _read_rows(
    ws: Any,
    layout: _Layout,
    columns: Sequence[Column],
    convert: RowConverter,
    *,
    merged_cells: Mapping[int, list[tuple[int, str]]],
    result: SheetResult,
    progress: Progress | None,
) -> None:
    labels = {c.key: c.label for c in columns}
    max_col = max(i for indexes in layout.columns.values() for i in indexes)
    known_rows = getattr(ws, "max_row", None)
    total = max(int(known_rows) - layout.header_row, 0) if isinstance(known_rows, int) else 0
    # The declared size may be wrong or huge (a sheet formatted to row 1,048,576): read what is there.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    wanted = [(key, index) for key, indexes in layout.columns.items() for index in indexes]
    done = 0
    for number, values in _iter_rows(ws, min_row=layout.header_row + 1, max_col=max_col):
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done), f"{done:,}行を読み取りました…")
        cells: dict[str, list[tuple[int, Any]]] = {}
        first: Any = None
        for key, index in wanted:
            value = values[index - 1] if index <= len(values) else None
            if isinstance(value, str):
                value = value.strip()
            if _is_blank(value):
                value = None
            elif first is None or index < first[0]:
                first = (index, value)
            cells.setdefault(key, []).append((index, value))
        if first is None:
            continue  # a blank row
        if isinstance(first[1], str) and unicodedata.normalize("NFKC", first[1]).startswith("例)"):
            continue  # the template's example row
        if len(result.rows) >= MAX_DATA_ROWS:
            raise _Unreadable(f"行が多すぎます（{MAX_DATA_ROWS:,}行まで）。ファイルを分けて取り込んでください。")
        data, errors = convert(number, cells)
        for col, ref in merged_cells.get(number, ()):
            key = next((k for k, idx in layout.columns.items() if col in idx), "")
            errors.append(CellError(number, _column_letter(col), labels.get(key, ""),
                                    f"セルが結合されています（{ref}）。結合を解除し、1件1行で記入してください。"))
        errors.sort(key=lambda e: (len(e.column_letter), e.column_letter))
        result.rows.append(RowResult(number, None if errors else data, errors))
    if progress is not None:
        progress(done, done, f"{done:,}行を読み取りました。")


def _single(cells: Mapping[str, list[tuple[int, Any]]], key: str) -> tuple[str, Any]:
    """``(column letter, value)`` of a one-column key; ``("", None)`` if the column is absent."""
    entries = cells.get(key)
    if not entries:
        return "", None
    index, value = entries[0]
    return _column_letter(index), value


# -- needs ------------------------------------------------------------------------------------------

_FACILITY_SPLIT = re.compile(r"[、,;/・\s]+")
_FACILITY_BY_NAME: dict[str, str] = {
    **{unicodedata.normalize("NFKC", label).casefold(): code for code, label in FACILITY_TYPES.items()},
    **{code.casefold(): code for code in FACILITY_TYPES},
    "橋りょう": "bridge", "橋": "bridge", "上下水道": "water_supply", "水道": "water_supply",
}
_FACILITY_CHOICES = "、".join(FACILITY_TYPES.values())


def _needs_converter(registry: LocalGovernmentRegistry, fiscal_year: int | None, survey: str | None) -> RowConverter:
    index = _lg_index(registry)
    resolved: dict[Any, LocalGovernment | str] = {}
    label = {c.key: c.label for c in NEEDS_COLUMNS}

    def convert(row: int, cells: Mapping[str, list[tuple[int, Any]]]) -> tuple[dict[str, Any] | None, list[CellError]]:
        errors: list[CellError] = []

        def error(letter: str, key: str, message: str) -> None:
            errors.append(CellError(row, letter, label.get(key, key), message))

        letter, value = _single(cells, "lg")
        lg_code = None
        if value is None:
            error(letter, "lg", "自治体を入力してください（名前か6桁の団体コード）。")
        else:
            cache_key = (type(value), value)
            found = resolved.get(cache_key)
            if found is None:
                found = resolved[cache_key] = index.resolve(value)
            if isinstance(found, str):
                error(letter, "lg", found)
            else:
                lg_code = found.lg_code
        texts: dict[str, str | None] = {}
        for key in ("title", "requirements", "department", "contact_name", "email", "phone"):
            letter, value = _single(cells, key)
            texts[key] = _text(value) or None
            if key in ("title", "requirements") and value is None:
                error(letter, key, f"{label[key]}を入力してください。")
        email = texts["email"]
        if email is not None and "@" not in email:
            error(_single(cells, "email")[0], "email", f"メールアドレス「{email}」に @ がありません。正しく入力してください。")
        facility: list[str] = []
        for key in ("facility1", "facility2", "facility3"):
            for col, value in cells.get(key, ()):
                if value is None:
                    continue
                for part in _FACILITY_SPLIT.split(unicodedata.normalize("NFKC", _text(value))):
                    if not part:
                        continue
                    code = _FACILITY_BY_NAME.get(part.casefold())
                    if code is None:
                        errors.append(CellError(row, _column_letter(col), label[key],
                                                f"施設種別「{part}」は選べません。▼の一覧から選んでください（{_FACILITY_CHOICES}）。"))
                    elif code not in facility:
                        facility.append(code)
        letter, value = _single(cells, "received_on")
        received: str | None = None
        if value is None:
            error(letter, "received_on", f"受付日を入力してください。{_DATE_FORMS}")
        else:
            parsed = parse_cell_date(value, "受付日", fiscal_year)
            if isinstance(parsed, str):
                error(letter, "received_on", parsed)
            else:
                received = parsed.isoformat()
        if errors:
            return None, errors
        contact = {"name": texts["contact_name"], "department": texts["department"], "email": email, "phone": texts["phone"]}
        return {
            "lg_code": lg_code,
            "title": texts["title"],
            "facility_types": facility,
            "requirements": texts["requirements"],
            "received_on": received,
            "survey": survey,
            "status": "open",
            "contact": contact if any(contact.values()) else None,
        }, errors

    return convert


def read_needs_sheet(
    path: Path | str,
    *,
    fiscal_year: int | None = None,
    progress: Progress | None = None,
    registry: LocalGovernmentRegistry | None = None,
) -> SheetResult:
    """Read a filled-in needs survey (``write_needs_template``'s layout, or any sheet with its headers).

    ``fiscal_year`` gives the year of dates written without one (5月10日). ``registry`` is the
    local-government master (the bundled one by default).
    """
    reg = registry if registry is not None else default_registry()

    def make(meta: dict[str, Any], result: SheetResult) -> RowConverter:
        survey = _text(meta.get("survey")) or None
        fy = fiscal_year if fiscal_year is not None else _meta_fiscal_year(meta)
        result.fiscal_year = fy
        return _needs_converter(reg, fy, survey)

    return _read(path, kind="needs", preferred=NEEDS_SHEET, columns=NEEDS_COLUMNS, field_keys=_NEEDS_FIELD_KEYS,
                 make_converter=make, progress=progress)


# -- events ------------------------------------------------------------------------------------------

_EVENT_TYPE_BY_NAME: dict[str, str] = {
    **{"".join(unicodedata.normalize("NFKC", label).split()).casefold(): code for code, label in EVENT_TYPES.items()},
    **{code.casefold(): code for code in EVENT_TYPES},
}
_EVENT_TYPE_CHOICES = "、".join(EVENT_TYPES.values())


def _events_converter(fiscal_year: int) -> RowConverter:
    label = {c.key: c.label for c in EVENTS_COLUMNS}

    def convert(row: int, cells: Mapping[str, list[tuple[int, Any]]]) -> tuple[dict[str, Any] | None, list[CellError]]:
        errors: list[CellError] = []
        letter, value = _single(cells, "title")
        title = _text(value)
        if not title:
            errors.append(CellError(row, letter, label["title"], "活動・行事名を入力してください。"))
        letter, value = _single(cells, "planned")
        planned_text = _text(value)
        if not planned_text:
            errors.append(CellError(row, letter, label["planned"],
                                    "開催予定日を入力してください。決まっていなければ「未定」や「調整中」と書いてください。"))
        letter, value = _single(cells, "event_type")
        event_type = "other"
        if value is not None:
            key = "".join(unicodedata.normalize("NFKC", _text(value)).split()).casefold()
            found = _EVENT_TYPE_BY_NAME.get(key)
            if found is None:
                errors.append(CellError(row, letter, label["event_type"],
                                        f"種別「{_text(value)}」は選べません。▼の一覧から選んでください（{_EVENT_TYPE_CHOICES}）。"))
            else:
                event_type = found
        if errors:
            return None, errors
        description = _text(_single(cells, "description")[1]) or None
        return {
            "title": title,
            "event_type": event_type,
            "planned": parse_planned(planned_text, fiscal_year).to_dict(),
            "status": "planned",
            "description": description,
            "lg_codes": [],
            "counts_as_forum": event_type in FORUM_EVENT_TYPES,
        }, errors

    return convert


def read_events_sheet(path: Path | str, *, fiscal_year: int | None = None, progress: Progress | None = None) -> SheetResult:
    """Read an activity plan (活動・行事名 / 開催予定日 / 内容 / 種別) of ``fiscal_year``.

    Without ``fiscal_year`` the year written in the template's 記入方法 sheet is used. 開催予定日
    is kept verbatim and read by ``parse_planned`` into an interval.
    """

    def make(meta: dict[str, Any], result: SheetResult) -> RowConverter | None:
        fy = fiscal_year if fiscal_year is not None else _meta_fiscal_year(meta)
        result.fiscal_year = fy
        if fy is None:
            result.problems.append("どの年度の計画か分かりません。年度（例: 2024）を指定して取り込んでください。")
            return None
        return _events_converter(fy)

    return _read(path, kind="events", preferred=EVENTS_SHEET, columns=EVENTS_COLUMNS, field_keys=_EVENTS_FIELD_KEYS,
                 make_converter=make, progress=progress)


# -- templates ---------------------------------------------------------------------------------------

_HEADER_FILL_REQUIRED = "1F4E79"
_HEADER_FILL_OPTIONAL = "5B7FA6"


def _style_header(ws: Any, columns: Sequence[Column]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.data_type = "s"
        cell.font = Font(bold=True, color="FFFFFF")
        colour = _HEADER_FILL_REQUIRED if column.required else _HEADER_FILL_OPTIONAL
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.column_dimensions[_column_letter(index)].width = column.width
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "A2"


def _example_row(ws: Any, columns: Sequence[Column]) -> None:
    from openpyxl.styles import Font

    grey = Font(italic=True, color="808080")
    for index, column in enumerate(columns, start=1):
        if column.example is None:
            continue
        cell = ws.cell(row=2, column=index, value=column.example)
        cell.font = grey
        if isinstance(column.example, dt.date):
            cell.number_format = "yyyy/m/d"
        else:
            cell.data_type = "s"


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _list_validation(ws: Any, sheet: str, column: str, count: int, cells: str, title: str) -> None:
    from openpyxl.utils import quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(sheet)}!${column}$2:${column}${count + 1}",
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell ▼
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=title,
        error=f"{title}は▼の一覧から選んでください。",
        showInputMessage=True,
        promptTitle=title,
        prompt="▼の一覧から選んでください。",
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _prompt(ws: Any, cells: str, title: str, prompt: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(showInputMessage=True, promptTitle=title[:32], prompt=prompt[:255])
    dv.add(cells)
    ws.add_data_validation(dv)


def _choices_sheet(wb: Any) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(CHOICES_SHEET)
    for col, (title, labels) in enumerate((("施設種別", FACILITY_TYPES.values()), ("種別", EVENT_TYPES.values())), start=1):
        ws.cell(row=1, column=col, value=title).font = Font(bold=True)
        for row, text in enumerate(labels, start=2):
            ws.cell(row=row, column=col, value=text).data_type = "s"
        ws.column_dimensions[_column_letter(col)].width = 28
    ws.sheet_state = "hidden"


def _lg_list_sheet(wb: Any, registry: LocalGovernmentRegistry) -> None:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet(LG_LIST_SHEET)
    headers = ("都道府県", "市区町村", "コード", "ふりがな", "種別")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL_REQUIRED)
    for row, entry in enumerate(registry.all(), start=2):
        values = (entry.prefecture, "" if entry.is_prefecture else entry.name, entry.lg_code,
                  unicodedata.normalize("NFKC", entry.name_kana), entry.kind_label)
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).data_type = "s"
    for letter, width in zip("ABCDE", (12, 18, 10, 22, 10)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{len(registry) + 1}"


def _howto_sheet(wb: Any, title: str, meta: Sequence[tuple[str, Any]], steps: Sequence[str], columns: Sequence[Column]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(HOWTO_SHEET)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for key, value in meta:
        ws.cell(row=row, column=1, value=key).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="記入のしかた").font = Font(bold=True, size=12)
    row += 1
    for step in steps:
        cell = ws.cell(row=row, column=1, value=step)
        cell.data_type = "s"
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    for col, text in enumerate(("項目", "必須", "書き方"), start=1):
        ws.cell(row=row, column=col, value=text).font = Font(bold=True)
    row += 1
    for column in columns:
        if not column.note:
            continue
        ws.cell(row=row, column=1, value=column.label).data_type = "s"
        ws.cell(row=row, column=2, value="必須" if column.required else "任意")
        note = ws.cell(row=row, column=3, value=column.note)
        note.data_type = "s"
        note.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for letter, width in zip("ABCD", (18, 40, 70, 10)):
        ws.column_dimensions[letter].width = width


def _save(wb: Any, path: Path | str, data_dir: Path | str | None = None) -> Path:
    """Save ``wb`` beside ``path`` as ``<name>.part`` (recorded in ``data_dir`` while written),
    then rename it over ``path``; a full disk or read-only folder is a user error."""
    from jcim_desktop.errors import user_error_from_os
    from jcim_desktop.store.tempfiles import tracked_temp

    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    with tracked_temp(data_dir, tmp):
        try:
            wb.save(tmp)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise user_error_from_os(exc, "テンプレートの保存", target) from None
    return target


def write_needs_template(
    path: Path | str,
    *,
    org_name: str,
    survey_name: str,
    registry: LocalGovernmentRegistry | None = None,
    data_dir: Path | str | None = None,
) -> Path:
    """Write the needs-survey workbook a municipality fills in; ``read_needs_sheet`` reads it back."""
    from openpyxl import Workbook

    reg = registry if registry is not None else default_registry()
    wb = Workbook()
    ws = wb.active
    ws.title = NEEDS_SHEET
    _style_header(ws, NEEDS_COLUMNS)
    _example_row(ws, NEEDS_COLUMNS)
    last = TEMPLATE_ROWS + 1
    letters = {c.key: _column_letter(i) for i, c in enumerate(NEEDS_COLUMNS, start=1)}
    for key in ("lg", "phone"):  # text cells keep a code's or a phone number's leading zero
        ws.column_dimensions[letters[key]].number_format = "@"
    ws.column_dimensions[letters["received_on"]].number_format = "yyyy/m/d"
    _list_validation(ws, CHOICES_SHEET, "A", len(FACILITY_TYPES),
                     f"{letters['facility1']}2:{letters['facility3']}{last}", "施設種別")
    _prompt(ws, f"{letters['lg']}2:{letters['lg']}{last}", "自治体",
            "名前（例: 広島県福山市）か6桁の団体コード。「自治体一覧」シートで確かめられます。")
    _prompt(ws, f"{letters['received_on']}2:{letters['received_on']}{last}", "受付日",
            "2024/5/10、令和6年5月10日、R6.5.10 のいずれか。")
    _print_setup(ws)
    _choices_sheet(wb)
    _lg_list_sheet(wb, reg)
    steps = (
        f"1. 「{NEEDS_SHEET}」シートに1件1行で記入してください。2行目の灰色の行（「{EXAMPLE_MARK}」で始まる行）は記入例で、取り込まれません。",
        "2. 1行目（見出し）は変更・削除しないでください。列の削除・並べ替えやセルの結合もしないでください。",
        "3. 自治体は「広島県福山市」「福山市」のような名前か、6桁の団体コード（例: 342076）で入力します。"
        f"同じ名前の市町村が複数あるとき（府中市など）は都道府県名から入力してください。「{LG_LIST_SHEET}」シートで確かめられます。",
        "4. 施設種別はセルを選ぶと出る▼の一覧から選びます（3つまで）。",
        "5. 受付日は 2024/5/10、令和6年5月10日、R6.5.10 のいずれかの形で入力します。",
        "6. 見出しが濃い青の列は必須、薄い青の列は任意です。担当者の連絡先は個人情報として扱います。",
    )
    meta = (("調査名", survey_name), ("組織", org_name), ("作成日", format_era_date(dt.date.today())))
    _howto_sheet(wb, f"{survey_name} 記入方法", meta, steps, NEEDS_COLUMNS)
    wb.move_sheet(HOWTO_SHEET, offset=-(len(wb.sheetnames) - 2))  # right after the survey sheet
    return _save(wb, path, data_dir)


def write_events_template(path: Path | str, *, org_name: str, fiscal_year: int,
                          data_dir: Path | str | None = None) -> Path:
    """Write the activity-plan workbook (活動・行事名 / 開催予定日 / 内容 / 種別) of ``fiscal_year``."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = EVENTS_SHEET
    _style_header(ws, EVENTS_COLUMNS)
    _example_row(ws, EVENTS_COLUMNS)
    last = TEMPLATE_ROWS + 1
    letters = {c.key: _column_letter(i) for i, c in enumerate(EVENTS_COLUMNS, start=1)}
    # Text cells: Excel would turn 7/10 or 7月10日 into a date and lose what was written.
    ws.column_dimensions[letters["planned"]].number_format = "@"
    _list_validation(ws, CHOICES_SHEET, "B", len(EVENT_TYPES), f"{letters['event_type']}2:{letters['event_type']}{last}", "種別")
    _prompt(ws, f"{letters['planned']}2:{letters['planned']}{last}", "開催予定日",
            "計画表の書き方のまま（例: 7月頃、第2四半期、未定（4月）、R6.10.9）。")
    _print_setup(ws)
    _choices_sheet(wb)
    steps = (
        f"1. 「{EVENTS_SHEET}」シートに1件1行で記入してください。2行目の灰色の行（「{EXAMPLE_MARK}」で始まる行）は記入例で、取り込まれません。",
        "2. 1行目（見出し）は変更・削除しないでください。列の削除・並べ替えやセルの結合もしないでください。",
        "3. 開催予定日は計画表の書き方のまま入力します（例: 7月頃、第2四半期、未定（4月）、6月上旬～7月中旬、R6.10.9、調整中）。"
        "書いたとおりに保存され、期間として読み取られます。1月～3月は翌年の1月～3月です。",
        "4. 種別は▼の一覧から選びます。空欄のときは「その他」になります。",
        "5. 取り込んだ活動・行事は「予定」として登録されます。",
    )
    meta = (("年度", fiscal_year), ("年度（和暦）", format_fiscal_year(fiscal_year)), ("組織", org_name))
    _howto_sheet(wb, f"{format_fiscal_year(fiscal_year)} 活動計画 記入方法", meta, steps, EVENTS_COLUMNS)
    wb.move_sheet(HOWTO_SHEET, offset=-(len(wb.sheetnames) - 2))
    return _save(wb, path, data_dir)
