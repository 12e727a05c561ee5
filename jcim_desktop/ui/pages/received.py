"""受信状況 (secretariat): which organisations' packages arrived in a fiscal year, and which did not.

One row per organisation of SYNC_FORMAT §1: its installations heard from in the year, the last
package of each (number, day written, records), the numbers that never arrived, and whether the
organisation has sent anything this year. ``services.received`` reads it; the page refreshes
after every import (an import's change notice always names the package log).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from jcim_desktop.services.context import AppContext
from jcim_desktop.services.received import RECEIVED_PACKAGES, local_moment, package_day, received
from jcim_desktop.ui import fmt, labels, language, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.page import FiscalYearPage
from jcim_desktop.ui.pages.sync.wording import issue, short_id
from jcim_desktop.ui.rows_model import ACHIEVED, Column, RowsModel

translate = QCoreApplication.translate

RECEIVED, MISSING, OWN = "received", "missing", "own"
"""An organisation's state in the year: something arrived; nothing did; this installation's own
organisation, which sends itself nothing (neither received nor missing)."""
COLUMN_WIDTHS = (232, 90, 220, 130, 110)
"""組織, 端末, 最後のパッケージ (at least; it stretches), 抜けている番号, 状態: fits a 1024×680 window."""
LAST_PACKAGE = 2


@dataclass(frozen=True)
class OrgLine:
    """A row of the board: one organisation and what arrived from it in the year."""

    org: str
    state: str
    installations: tuple[dict[str, Any], ...]


def board_lines(result: dict[str, Any]) -> list[OrgLine]:
    """The rows of ``services.received.received``'s result, in its order."""
    missing = set(result["missing"])
    lines = []
    for entry in result["orgs"]:
        state = RECEIVED if entry["received"] else MISSING if entry["org"] in missing else OWN
        lines.append(OrgLine(entry["org"], state, tuple(entry["installations"])))
    return lines


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class ReceivedModel(RowsModel[OrgLine]):
    """One row per organisation; an organisation with several installations has a line per
    installation in the 端末, 最後のパッケージ and 抜けている番号 cells."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.columns = [
            Column(self.tr("組織"), lambda r: r.org, text=lambda r: labels.org(r.org)),
            Column(self.tr("端末"), lambda r: len(r.installations), text=self._installations,
                   tooltip=self._installation_tip,
                   header_tooltip=self.tr("パッケージを送ってきた端末（端末IDの先頭8文字）")),
            Column(self.tr("最後のパッケージ"), lambda r: len(r.installations), text=self._last_packages,
                   tooltip=self._counts_tip,
                   header_tooltip=self.tr("この年度に作成されたうちで番号が最も大きいパッケージ：番号・作成日・記録数")),
            Column(self.tr("抜けている番号"), lambda r: self._missing_count(r), text=self._missing,
                   tooltip=lambda r: self._missing(r) or None,
                   header_tooltip=self.tr("その端末から届いた最小の番号から最大の番号までのうち、届いていない番号")),
            Column(self.tr("状態"), lambda r: r.state, text=self._state, tooltip=self._state_tip),
        ]

    @staticmethod
    def _lines(row: OrgLine, text: Callable[[dict[str, Any]], str]) -> str:
        return "\n".join(text(installation) for installation in row.installations)

    def _installations(self, row: OrgLine) -> str:
        return self._lines(row, lambda i: short_id(i["installation"]))

    def _installation_tip(self, row: OrgLine) -> str:
        return "\n".join(
            self.tr("端末ID {installation}（鍵ID {key}）：この年度のパッケージ {count}").format(
                installation=i["installation"], key=i["key_id"], count=self._packages(i["packages"]))
            for i in row.installations
        )

    def _packages(self, n: int) -> str:
        return self.tr("%n 個", "", n)

    def _last_packages(self, row: OrgLine) -> str:
        def line(installation: dict[str, Any]) -> str:
            last = installation["last_package"]
            return self.tr("{number}・{day}・{records}").format(
                number=issue(last["sequence"]), day=fmt.date_label(package_day(last["created_at"])),
                records=fmt.count(last["records"]))

        return self._lines(row, line)

    def _counts_tip(self, row: OrgLine) -> str:
        parts = []
        for installation in row.installations:
            last = installation["last_package"]
            received_at = local_moment(last["received_at"])
            head = self.tr("{number}（端末 {installation}）　受信 {when}").format(
                number=issue(last["sequence"]), installation=short_id(installation["installation"]),
                when=fmt.datetime_label(received_at) if received_at else last["received_at"])
            counts = ["  " + self.tr("{entity}：{count}").format(entity=labels.entity(entity), count=fmt.count(n))
                      for entity, n in last["counts"].items()]
            parts.append("\n".join([head, *(counts or ["  " + self.tr("記録なし")])]))
        return "\n\n".join(parts)

    @staticmethod
    def _missing_count(row: OrgLine) -> int:
        return sum(int(i["missing_count"]) for i in row.installations)

    def _missing(self, row: OrgLine) -> str:
        if not self._missing_count(row):
            return ""
        return self._lines(row, self._missing_line)

    def _missing_line(self, installation: dict[str, Any]) -> str:
        listed: Sequence[int] = installation["missing_sequences"]
        if not listed:
            return "—"
        numbers = fmt.join(number_ranges(listed), ja="・")
        count = int(installation["missing_count"])
        if count > len(listed):
            return self.tr("第{numbers}号ほか（計 {count} 号分）").format(numbers=numbers, count=fmt.number(count))
        return self.tr("第{numbers}号").format(numbers=numbers)

    def _state(self, row: OrgLine) -> str:
        if row.state == RECEIVED:
            return self.tr("受信済み")
        if row.state == MISSING:
            return self.tr("未受信")
        return self.tr("この端末")

    def _state_tip(self, row: OrgLine) -> str:
        if row.state == MISSING:
            return self.tr("この年度に作成されたパッケージがまだ届いていません。")
        if row.state == OWN:
            return self.tr("この端末の組織です。自分あてにはパッケージを送らないため、未受信には数えません。")
        return ""

    def cell_data(self, row: OrgLine, column: int, role: int) -> Any:
        if column == 4 and role == Qt.ItemDataRole.ForegroundRole:
            return {RECEIVED: ACHIEVED, MISSING: QColor(palette.ERROR), OWN: QColor(palette.MUTED)}.get(row.state)
        if column == 4 and role == Qt.ItemDataRole.FontRole and row.state != OWN:
            return _bold()
        if column == 3 and role == Qt.ItemDataRole.ForegroundRole and self._missing_count(row):
            return QColor(palette.CAUTION)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop).value)
        return None


def number_ranges(numbers: Sequence[int]) -> list[str]:
    """``[3, 5, 6, 7]`` → ``["3", "5～7"]`` (``5–7`` in English)."""
    dash = "～" if language.current() == "ja" else "–"
    parts: list[str] = []
    run: list[int] = []
    for number in sorted(numbers):
        if run and number == run[-1] + 1:
            run.append(number)
            continue
        if run:
            parts.append(f"{run[0]:,}" if len(run) == 1 else f"{run[0]:,}{dash}{run[-1]:,}")
        run = [number]
    if run:
        parts.append(f"{run[0]:,}" if len(run) == 1 else f"{run[0]:,}{dash}{run[-1]:,}")
    return parts


class ReceivedPage(FiscalYearPage):
    page_id = "received"
    title = QT_TRANSLATE_NOOP("pages", "受信状況")
    entities = (RECEIVED_PACKAGES,)

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent, years=fmt.fiscal_year_choices(back=6, ahead=0),
                         current=fmt.current_fiscal_year())
        self.result: dict[str, Any] | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {palette.TEXT}; font-weight: bold;")
        head = QHBoxLayout()
        head.addWidget(self.title_label())
        head.addStretch(1)
        head.addWidget(QLabel(self.tr("年度")))
        head.addWidget(self.fy_combo)

        self.model = ReceivedModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(LAST_PACKAGE, QHeaderView.ResizeMode.Stretch)  # takes what the window adds

        note = QLabel(self.tr(
            "パッケージは作成日（日本時間）の年度に数えます。抜けている番号は、その端末から届いた最小の番号から"
            "最大の番号までで届いていないものです（各パッケージは全件の写しなので、次の号が届けばデータは揃います）。"
            "最後のパッケージにポインタを合わせると、種類ごとの記録数と受信日時が表示されます。"
        ))
        note.setWordWrap(True)
        note.setStyleSheet(palette.colour(palette.MUTED))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)

    def refresh(self) -> None:
        """Read the chosen year's board off the GUI thread."""
        ctx = self.ctx
        self.read_year(lambda fy: received(ctx, fy), self.apply)

    def apply(self, result: dict[str, Any]) -> None:
        self.result = result
        lines = board_lines(result)
        got = sum(1 for line in lines if line.state == RECEIVED)
        missing = sum(1 for line in lines if line.state == MISSING)
        self.summary.setText(self.tr("{fiscal_year}：{total} 組織中 {received} 組織から受信、{missing} 組織が未受信").format(
            fiscal_year=fmt.fy_label(int(result["fiscal_year"])), total=got + missing, received=got, missing=missing))
        self.model.set_rows(lines)
        self.table.resizeRowsToContents()
