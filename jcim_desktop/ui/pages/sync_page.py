"""同期: write and read sync packages (with a preview before anything is written), trust keys,
and what each installation last sent. Also drag & drop of packages onto the main window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.entities import ENTITIES, ENTITY_LABELS
from jcim_desktop.domain.fiscal import format_era_date
from jcim_desktop.domain.orgs import ORG_CODES, ORGS, OrgKind, org_name
from jcim_desktop.errors import UserError
from jcim_desktop.services import sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.sync import key_id
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import Page

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

PACKAGE_SUFFIX = ".jcimsync"
PACKAGE_FILTER = "同期パッケージ (*.jcimsync)"
KEY_FILTER = "公開鍵 (*.pub *.txt *.key);;すべてのファイル (*)"
SCOPE_LABELS = {"org": "自組織分", "national": "全国（配布用）"}
COUNT_LABELS = (("inserted", "追加"), ("updated", "更新"), ("unchanged", "変更なし"), ("conflicts", "競合"))
MUTED = "#5f6b7a"
WARNING = "#b42318"
CAUTION = "#9c4221"

STYLE = """
QFrame#panel { background: #ffffff; border: 1px solid #dde3ea; border-radius: 8px; }
QFrame#panel QLabel { background: transparent; }
QLabel#pageTitle { font-size: 20px; font-weight: bold; color: #1f2933; }
QLabel#panelTitle { font-size: 15px; font-weight: bold; color: #1f2933; }
QLabel#muted { color: #5f6b7a; }
QLabel#keyId { font-family: monospace; font-size: 14px; font-weight: bold; color: #1f3a5f; }
"""


# Formatting shared with the conflicts page -------------------------------------------------------

def datetime_label(value: str | dt.datetime | None) -> str:
    """``令和8年11月23日 14:05`` from an ISO date-time (shown in this computer's time zone)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{format_era_date(value.date())} {value:%H:%M}"


def short_id(installation: str) -> str:
    """The first 8 characters of an installation UUID: enough for a person to tell them apart."""
    return installation[:8]


def default_package_name(org: str, sequence: int, scope: str = "org", today: dt.date | None = None) -> str:
    """``jcim-chugoku-20261123-第3号.jcimsync`` (the national package says 全国)."""
    day = (today or dt.date.today()).strftime("%Y%m%d")
    scope_part = "-全国" if scope == "national" else ""
    return f"jcim-{org}{scope_part}-{day}-第{sequence}号{PACKAGE_SUFFIX}"


def missing_text(missing: Sequence[tuple[int, int]]) -> str:
    """``第2・4～6号が届いていません（全件の写しなので失われたデータはありません）``; "" without gaps.

    ``missing`` is ranges (first, last) of sequence numbers, however large.
    """
    if not missing:
        return ""
    parts = [f"{first:,}" if first == last else f"{first:,}～{last:,}" for first, last in missing]
    count = sum(last - first + 1 for first, last in missing)
    if len(parts) > 4:
        shown = "・".join(parts[:3]) + f"・…・{parts[-1]}号など{count:,}号分"
    elif count > len(parts) and count > 3:
        shown = "・".join(parts) + f"号（{count:,}号分）"
    else:
        shown = "・".join(parts) + "号"
    return f"第{shown}が届いていません（全件の写しなので失われたデータはありません）"


def counts_text(counts: dict[str, dict[str, int]] | dict[str, int]) -> str:
    """``計 14 件（追加 3・更新 1・変更なし 10）`` from per-entity or total counts."""
    totals = {key: 0 for key, _ in COUNT_LABELS}
    for key, value in counts.items():
        if isinstance(value, dict):
            for k in totals:
                totals[k] += int(value.get(k, 0))
        elif key in totals:
            totals[key] += int(value)
    total = sum(totals.values())
    parts = [f"{label} {totals[key]:,}" for key, label in COUNT_LABELS if totals[key] or (not total and key == "unchanged")]
    return f"計 {total:,} 件（{'・'.join(parts)}）"


def _next_sequence(ctx: AppContext) -> int:
    # Only for the suggested file name: export_package assigns the real number.
    return sync.next_sequence(ctx)


def _last_dir() -> Path:
    saved = QSettings("JCIM", "JCIM Desktop").value("sync/last_dir")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


def _remember_dir(path: Path) -> None:
    QSettings("JCIM", "JCIM Desktop").setValue("sync/last_dir", str(path.parent))


def _panel(title: str) -> tuple[QFrame, QVBoxLayout, QHBoxLayout]:
    frame = QFrame()
    frame.setObjectName("panel")
    body = QVBoxLayout(frame)
    body.setContentsMargins(14, 10, 14, 12)
    body.setSpacing(6)
    header = QHBoxLayout()
    label = QLabel(title)
    label.setObjectName("panelTitle")
    header.addWidget(label)
    header.addStretch(1)
    body.addLayout(header)
    return frame, body, header


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class _TableModel(QAbstractTableModel):
    """A small read-only table: subclasses give ``HEADERS`` and ``cell(row, col)``."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def load(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.items)) or not (0 <= index.column() < len(self.HEADERS)):
            return None
        try:
            return self.cell(self.items[index.row()], index.column(), role)
        except Exception:  # noqa: BLE001 - data() never raises (STYLE.md); a bad row shows empty
            return None

    def cell(self, item: Any, col: int, role: int) -> Any:
        return None


# Preview ------------------------------------------------------------------------------------------

class PreviewModel(_TableModel):
    """Per entity: what importing would insert / update / leave / put in conflict; a 合計 row last."""

    HEADERS = ("記録の種類", "追加", "更新", "変更なし", "競合")

    def load_outcome(self, by_entity: dict[str, dict[str, int]]) -> None:
        order = [e for e in ENTITIES if e in by_entity] + sorted(e for e in by_entity if e not in ENTITIES)
        rows: list[tuple[str, dict[str, int], bool]] = [(ENTITY_LABELS.get(e, e), by_entity[e], False) for e in order]
        total = {key: sum(int(c.get(key, 0)) for c in by_entity.values()) for key, _ in COUNT_LABELS}
        rows.append(("合計", total, True))
        self.load(rows)

    def cell(self, item: Any, col: int, role: int) -> Any:
        label, counts, is_total = item
        if role == Qt.ItemDataRole.DisplayRole:
            return label if col == 0 else f"{int(counts.get(COUNT_LABELS[col - 1][0], 0)):,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and int(counts.get("conflicts", 0)):
            return QColor(WARNING)
        if role == Qt.ItemDataRole.BackgroundRole and is_total:
            return QColor("#eef2f7")
        return None


class ImportPreviewDialog(QDialog):
    """What a checked package would change here; writes nothing. 取り込む accepts, キャンセル rejects."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, checked: sync.CheckedPackage,
                 preview: sync.ImportOutcome) -> None:
        super().__init__(parent)
        self.checked, self.preview = checked, preview
        m = checked.manifest
        self.setWindowTitle("取り込む内容の確認")
        self.setMinimumWidth(620)

        heading = QLabel(f"{org_name(m.origin_org)} から届いた同期パッケージ")
        heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.sender_label = QLabel(f"{org_name(m.origin_org)}（端末 {short_id(m.origin_installation)}）")
        newer_text = "新しい号です" if preview.newer else "この端末からは既に同じか新しい号を受け取っています（内容の照合のみ）"
        self.sequence_label = QLabel(f"第{m.sequence}号　{newer_text}")
        if not preview.newer:
            self.sequence_label.setStyleSheet(f"color: {CAUTION};")
        own = "（この端末の鍵）" if m.public_key == ctx.public_key else ""
        self.key_label = QLabel(f"{m.key_id}{own}")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        contacts = {True: "含む", False: "含まない", None: "記載なし"}[m.includes_contacts]
        form.addRow("送り主", self.sender_label)
        form.addRow("号", self.sequence_label)
        form.addRow("作成日時", QLabel(datetime_label(m.created_at)))
        form.addRow("鍵ID", self.key_label)
        form.addRow("範囲", QLabel(SCOPE_LABELS.get(m.scope, m.scope)))
        form.addRow("担当者連絡先", QLabel(contacts))
        form.addRow("ファイル", QLabel(checked.path.name))

        self.model = PreviewModel(self)
        self.model.load_outcome(preview.by_entity)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setColumnWidth(0, 200)
        for col in range(1, 5):
            self.table.setColumnWidth(col, 90)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(min(60 + 26 * self.model.rowCount(), 320))

        c = preview.counts
        self.summary = QLabel(
            f"取り込むと　追加 {c.inserted:,} 件・更新 {c.updated:,} 件・変更なし {c.unchanged:,} 件・競合 {c.conflicts:,} 件"
        )
        self.summary.setStyleSheet("font-weight: bold;")
        notes: list[str] = []
        if c.conflicts:
            notes.append(f"競合が {c.conflicts:,} 件あります。取り込んだ後、「競合」ページで確認してください"
                         "（どちらの版も失われません）。")
        unknown = checked.package.unknown_entities
        if unknown:
            notes.append(f"このアプリが知らない種類の記録（{'、'.join(unknown)}）は取り込まれません。アプリを最新版にしてください。")
        notes.append("「取り込む」を押すまで、この端末のデータは変わりません。取り込む前に自動でバックアップを取ります。")
        self.notes = _muted("\n".join(notes))
        if c.conflicts:
            self.notes.setStyleSheet(f"color: {CAUTION};")

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("取り込む", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("キャンセル", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)


# Trust ----------------------------------------------------------------------------------------------

class TrustModel(_TableModel):
    HEADERS = ("鍵ID", "書いてよい組織", "登録日", "メモ")

    def cell(self, item: Any, col: int, role: int) -> Any:
        trust: sync.Trust = item
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return trust.key_id
            if col == 1:
                return trust.org_names
            if col == 2:
                return datetime_label(trust.added_at)
            return trust.note or ""
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 3):
            return trust.org_names if col == 1 else (trust.note or None)
        if role == Qt.ItemDataRole.FontRole and col == 0:
            font = QFont("monospace")
            font.setStyleHint(QFont.StyleHint.Monospace)
            return font
        return None

    def trust_at(self, row: int) -> sync.Trust | None:
        return self.items[row] if 0 <= row < len(self.items) else None


class AddTrustDialog(QDialog):
    """Which orgs a newly trusted key may write (or すべての組織), and a note."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, public_key: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("鍵を追加")
        self.public_key = public_key
        intro = QLabel(f"鍵ID <b>{key_id(public_key)}</b> の鍵を信頼し、次の組織の記録を書くことを認めます。")
        intro.setWordWrap(True)
        hint = _muted(
            "各フォーラムの鍵には、そのフォーラムだけを選びます。"
            if ctx.is_secretariat
            else "事務局の鍵には「すべての組織」を選びます（全国の配布用パッケージを受け取るため）。"
            "同じフォーラムの別の端末の鍵には、自フォーラムを選びます。"
        )
        self.all_box = QCheckBox("すべての組織（事務局の配布用パッケージなど）")
        self.org_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        groups = (
            ("地方フォーラム", (OrgKind.REGIONAL_FORUM,)),
            ("全国フォーラム", (OrgKind.NATIONAL_FORUM,)),
            ("部会・事務局", (OrgKind.COMMITTEE, OrgKind.SECRETARIAT)),
        )
        for col, (title, kinds) in enumerate(groups):
            head = QLabel(title)
            head.setStyleSheet("font-weight: bold;")
            grid.addWidget(head, 0, col)
            row = 1
            for code in ORG_CODES:
                if ORGS[code].kind in kinds:
                    box = QCheckBox(ORGS[code].name)
                    box.toggled.connect(self._update)
                    self.org_boxes[code] = box
                    grid.addWidget(box, row, col)
                    row += 1
        grid.setRowStretch(grid.rowCount(), 1)
        self.all_box.toggled.connect(self._all_toggled)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("例: 中国フォーラム 山田さんのノートPC（2024年7月受領）")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("信頼する", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("キャンセル", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(hint)
        layout.addWidget(self.all_box)
        layout.addLayout(grid)
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel("メモ"))
        note_row.addWidget(self.note_edit, 1)
        layout.addLayout(note_row)
        layout.addWidget(buttons)
        self._update()

    def _all_toggled(self, checked: bool) -> None:
        for box in self.org_boxes.values():
            box.setEnabled(not checked)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.orgs()))

    def orgs(self) -> list[str]:
        if self.all_box.isChecked():
            return [sync.ALL_ORGS]
        return [code for code, box in self.org_boxes.items() if box.isChecked()]

    def note(self) -> str | None:
        return self.note_edit.text().strip() or None


# What was received ------------------------------------------------------------------------------------

class ReceivedModel(_TableModel):
    HEADERS = ("組織", "端末ID", "最新の号", "受信日時", "件数", "注意")

    def cell(self, item: Any, col: int, role: int) -> Any:
        log: sync.InstallationLog = item
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                org_name(log.org),
                short_id(log.installation),
                f"第{log.last_sequence}号",
                datetime_label(log.last_received_at),
                counts_text(log.last_counts),
                missing_text(log.missing),
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return log.installation
            if col == 5 and log.missing:
                return missing_text(log.missing)
            if col == 3:
                return f"作成: {datetime_label(log.last_created_at)}"
            if col == 4:
                return counts_text(log.last_counts)
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and log.missing:
            return QColor(CAUTION)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# The page ---------------------------------------------------------------------------------------------

class SyncPage(Page):
    page_id = "sync"
    title = "同期"
    entities = ()

    export_finished = Signal(object)
    """An ``ExportResult`` after a package was written, or None if it failed or was cancelled."""
    import_finished = Signal(list)
    """The ``ImportOutcome`` of each file of one import (accepted, rejected or cancelled)."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.setStyleSheet(STYLE)
        self.busy = False
        self.last_message = ""
        self._queue: list[Path] = []
        self._operations: list[ops.Operation] = []
        self._outcomes: list[sync.ImportOutcome] = []

        title = QLabel("同期")
        title.setObjectName("pageTitle")
        self.own_key_label = QLabel(key_id(ctx.public_key))
        self.own_key_label.setObjectName("keyId")
        self.own_key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_key_button = QPushButton("公開鍵を書き出す…")
        self.export_key_button.clicked.connect(self.export_public_key)
        who = QHBoxLayout()
        whoami = _muted(f"この端末: {ctx.org_name}（端末 {short_id(ctx.installation_id)}）　鍵ID")
        whoami.setWordWrap(False)
        who.addWidget(whoami)
        who.addWidget(self.own_key_label)
        who.addWidget(self.export_key_button)
        who.addStretch(1)

        # Export.
        export_panel, export_body, _ = _panel("書き出し（送る）")
        export_body.addWidget(_muted(
            "この端末で書き込める記録を、削除したものも含めて全件、署名付きの 1 つのファイルに書き出します。"
            "毎回全件の写しなので、途中の号が届かなくてもデータは失われません。"
        ))
        self.contacts_box = QCheckBox("担当者連絡先（個人情報）を含める")
        self.contacts_box.setToolTip("ニーズ・シーズの担当者の氏名・部署・メールアドレス・電話番号です。"
                                     "必要なときだけ含めてください。")
        export_body.addWidget(self.contacts_box)
        self.scope_org = QRadioButton("自組織分（全国フォーラム・部会・事務局の記録）")
        self.scope_national = QRadioButton("全国（配布用：この端末にあるすべての記録）")
        self.scope_org.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.scope_org)
        group.addButton(self.scope_national)
        if ctx.is_secretariat:
            scope_row = QHBoxLayout()
            scope_row.addWidget(QLabel("範囲"))
            scope_row.addWidget(self.scope_org)
            scope_row.addWidget(self.scope_national)
            scope_row.addStretch(1)
            export_body.addLayout(scope_row)
        else:
            self.scope_org.hide()
            self.scope_national.hide()
        self.export_button = QPushButton("書き出し…")
        self.export_button.setMinimumWidth(120)
        self.export_button.clicked.connect(self.choose_export)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        export_body.addLayout(row)
        self.export_result = QLabel()
        self.export_result.setWordWrap(True)
        self.export_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.export_result.setOpenExternalLinks(True)
        export_body.addWidget(self.export_result)
        export_body.addStretch(1)

        # Import.
        import_panel, import_body, _ = _panel("取り込み（受け取る）")
        import_body.addWidget(_muted(
            "届いた .jcimsync ファイルを選ぶか、このウィンドウにドラッグ＆ドロップしてください。"
            "署名と内容を確かめ、何が追加・更新されるかを確認してから取り込みます。"
        ))
        self.import_button = QPushButton("取り込み…")
        self.import_button.setMinimumWidth(120)
        self.import_button.clicked.connect(self.choose_import)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        import_body.addLayout(row)
        self.import_result = QLabel()
        self.import_result.setWordWrap(True)
        self.import_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        import_body.addWidget(self.import_result)
        import_body.addStretch(1)

        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(export_panel, 1)
        actions.addWidget(import_panel, 1)

        # Trusted keys.
        trust_panel, trust_body, trust_header = _panel("信頼している鍵")
        self.add_key_button = QPushButton("鍵を追加…")
        self.add_key_button.clicked.connect(self.choose_key_to_trust)
        self.remove_key_button = QPushButton("信頼をやめる")
        self.remove_key_button.clicked.connect(self.remove_selected_trust)
        trust_header.addWidget(self.add_key_button)
        trust_header.addWidget(self.remove_key_button)
        self.trust_model = TrustModel(self)
        self.trust_table = self._table(self.trust_model, (170, 330, 170))
        self.trust_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.trust_empty = _muted("信頼している鍵はまだありません。送り主から公開鍵のファイルを受け取り、"
                                  "「鍵を追加…」で登録してください。")
        trust_body.addWidget(self.trust_table, 1)
        trust_body.addWidget(self.trust_empty)

        # Received.
        received_panel, received_body, _ = _panel("受け取ったパッケージ（端末ごとの最新）")
        self.received_model = ReceivedModel(self)
        self.received_table = self._table(self.received_model, (140, 76, 64, 150, 210))
        self.received_table.setWordWrap(True)  # the gap warning may take two lines
        self.received_empty = _muted("まだパッケージを受け取っていません。")
        received_body.addWidget(self.received_table, 1)
        received_body.addWidget(self.received_empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addLayout(who)
        layout.addLayout(actions)
        layout.addWidget(trust_panel, 2)
        layout.addWidget(received_panel, 3)
        self._update_buttons()

    def _table(self, model: QAbstractTableModel, widths: Sequence[int]) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setMinimumHeight(90)
        for col, width in enumerate(widths):
            table.setColumnWidth(col, width)
        return table

    # Loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.trust_model.load(sync.list_trust(self.ctx))
        self.received_model.load(sync.received_log(self.ctx))
        self.received_table.resizeRowsToContents()
        self.trust_empty.setVisible(self.trust_model.rowCount() == 0)
        self.received_empty.setVisible(self.received_model.rowCount() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_key_button.setEnabled(self._selected_trust() is not None)
        self.export_button.setEnabled(not self.busy)
        self.import_button.setEnabled(not self.busy)

    def _selected_trust(self) -> sync.Trust | None:
        rows = self.trust_table.selectionModel().selectedRows()
        return self.trust_model.trust_at(rows[0].row()) if rows else None

    def _message(self, text: str, *, warning: bool = False, title: str = "同期") -> None:
        self.last_message = text
        if warning:
            QMessageBox.warning(self, title, text)
        else:
            QMessageBox.information(self, title, text)

    # Export -------------------------------------------------------------------------------------
    def export_scope(self) -> str:
        return "national" if self.ctx.is_secretariat and self.scope_national.isChecked() else "org"

    def choose_export(self) -> None:
        scope = self.export_scope()
        suggested = _last_dir() / default_package_name(self.ctx.org, _next_sequence(self.ctx), scope)
        name, _ = QFileDialog.getSaveFileName(self, "同期パッケージの書き出し", str(suggested), PACKAGE_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != PACKAGE_SUFFIX:
            path = path.with_name(path.name + PACKAGE_SUFFIX)
        _remember_dir(path)
        self.export_to(path, scope, self.contacts_box.isChecked())

    def export_to(self, path: Path, scope: str = "org", include_contacts: bool = False) -> None:
        ctx = self.ctx

        def work(progress: ops.Progress) -> sync.ExportResult:
            def report(done: int, total: int, text: str) -> None:
                if progress.cancelled:
                    raise ops.Cancelled()  # nothing is left behind: the temp file goes, the number is not used
                progress(done, total, text)

            return sync.export_package(ctx, path, scope=scope, include_contacts=include_contacts, progress=report)

        self._set_busy(True)
        self._run(ops.Operation(self, work, label="同期パッケージを書き出しています…").success(self._exported).failure(
            self._export_failed
        ))

    def _run(self, operation: ops.Operation) -> None:
        # Hold the wrapper until Qt has deleted the operation: PySide crashes deleting a QObject whose
        # Python wrapper (with slots connected to its own methods) was already freed (see ops.py).
        self._operations = [*self._operations[-7:], operation]
        operation.run()

    def _exported(self, result: sync.ExportResult) -> None:
        self._set_busy(False)
        detail = "、".join(f"{ENTITY_LABELS.get(e, e)} {n:,}" for e, n in result.counts.items()) or "記録なし"
        contacts = "含みます" if result.includes_contacts else "含みません"
        folder = QUrl.fromLocalFile(str(result.path.parent)).toString()
        self.export_result.setText(
            f"第{result.sequence}号（{SCOPE_LABELS.get(result.scope, result.scope)}）を書き出しました。<br>"
            f"<b>{result.path.name}</b><br>保存先: {result.path.parent}　<a href=\"{folder}\">フォルダを開く</a><br>"
            f"{result.total:,} 件（{detail}）。担当者連絡先は{contacts}。"
        )
        self.last_message = self.export_result.text()
        self.bus.status_message.emit(f"同期パッケージを書き出しました: {result.path}")
        self.export_finished.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ops.Cancelled):
            self.export_finished.emit(None)
            return
        if isinstance(exc, UserError):
            self._message(exc.message, warning=True)
        elif isinstance(exc, OSError):
            self._message(f"書き出せませんでした（{exc.strerror or exc}）。保存先のフォルダと空き容量を確認してください。",
                          warning=True)
        else:
            ops.show_error(self, exc)
        self.export_finished.emit(None)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    # Import -------------------------------------------------------------------------------------
    def choose_import(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "同期パッケージの取り込み", str(_last_dir()),
                                                f"{PACKAGE_FILTER};;すべてのファイル (*)")
        if names:
            _remember_dir(Path(names[0]))
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: Sequence[Path | str]) -> None:
        """Check, preview and (when confirmed) import each file in turn."""
        if self.busy:
            self._queue.extend(Path(p) for p in paths)
            return
        self._queue = [Path(p) for p in paths]
        self._outcomes = []
        self._set_busy(True)
        self._next_file()

    def _next_file(self) -> None:
        if not self._queue:
            self._finish_import()
            return
        path = self._queue.pop(0)
        ctx = self.ctx

        def work(progress: ops.Progress) -> tuple[sync.CheckedPackage, sync.ImportOutcome]:
            progress(0, 0, f"{path.name} の署名と内容を確かめています…")
            checked = sync.check_package(ctx, path)
            return checked, sync.preview_import(ctx, checked)

        # Results arrive from the worker; the modal preview opens after the callback has returned.
        self._run(ops.Operation(self, work, label=f"{path.name} を確かめています…", cancellable=False).success(
            lambda result: QTimer.singleShot(0, lambda: self._show_preview(*result))
        ).failure(lambda exc: QTimer.singleShot(0, lambda: self._check_failed(path, exc))))

    def _check_failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, sync.PackageRejected):
            reason, code = exc.message, exc.code
        elif isinstance(exc, OSError):
            reason, code = f"ファイルを読めません（{exc.strerror or exc}）。ファイルの場所と権限を確認してください。", "unreadable"
        elif isinstance(exc, UserError):
            reason, code = exc.message, "error"
        else:
            ops.show_error(self, exc)
            reason, code = "予期しないエラーで確認できませんでした。", "error"
            self._outcomes.append(sync.ImportOutcome(str(path), "rejected", reason=reason, code=code))
            self._next_file()
            return
        self._outcomes.append(sync.ImportOutcome(str(path), "rejected", reason=reason, code=code))
        self._message(f"「{path.name}」は取り込めません。何も変更していません。\n\n理由: {reason}", warning=True,
                      title="取り込めないパッケージ")
        self._next_file()

    def _show_preview(self, checked: sync.CheckedPackage, preview: sync.ImportOutcome) -> None:
        dialog = ImportPreviewDialog(self, self.ctx, checked, preview)
        confirmed = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not confirmed:
            self._outcomes.append(sync.ImportOutcome(str(checked.path), "cancelled", package_id=checked.manifest.package_id,
                                                     org=checked.manifest.origin_org, sequence=checked.manifest.sequence))
            self._next_file()
            return
        ctx = self.ctx
        self._run(ops.Operation(
            self, lambda _progress: sync.import_checked(ctx, checked),
            label=f"{checked.path.name} を取り込んでいます…", cancellable=False,
        ).success(lambda outcome: QTimer.singleShot(0, lambda: self._imported(outcome))).failure(
            lambda exc: QTimer.singleShot(0, lambda: self._check_failed(checked.path, exc))
        ))

    def _imported(self, outcome: sync.ImportOutcome) -> None:
        self._outcomes.append(outcome)
        self.bus.records_changed.emit("*")
        self._next_file()

    def _finish_import(self) -> None:
        self._set_busy(False)
        outcomes = self._outcomes
        lines = []
        for o in outcomes:
            name = Path(o.file).name
            if o.status == "accepted":
                c = o.counts
                lines.append(f"{name}: 取り込みました（{org_name(o.org or '')} 第{o.sequence}号）"
                             f"追加 {c.inserted:,}・更新 {c.updated:,}・変更なし {c.unchanged:,}・競合 {c.conflicts:,}")
            elif o.status == "cancelled":
                lines.append(f"{name}: 取り込みを取りやめました。")
            else:
                lines.append(f"{name}: 取り込めませんでした — {o.reason}")
        self.import_result.setText("\n".join(lines))
        if any(o.status == "accepted" and o.counts.conflicts for o in outcomes):
            self.import_result.setText(self.import_result.text() + "\n競合があります。「競合」ページで確認してください。")
        accepted = sum(o.status == "accepted" for o in outcomes)
        if accepted:
            self.bus.status_message.emit(f"{accepted} 件のパッケージを取り込みました。")
        self.refresh()
        self.import_finished.emit(outcomes)

    # Keys ---------------------------------------------------------------------------------------
    def export_public_key(self) -> None:
        suggested = _last_dir() / f"jcim-{self.ctx.org}-公開鍵-{key_id(self.ctx.public_key)}.pub"
        name, _ = QFileDialog.getSaveFileName(self, "公開鍵の書き出し", str(suggested), KEY_FILTER)
        if not name:
            return
        path = Path(name)
        try:
            sync.export_public_key(self.ctx, path)
        except UserError as exc:
            self._message(exc.message, warning=True)
            return
        _remember_dir(path)
        self._message(f"公開鍵を書き出しました。\n{path}\n\n鍵ID {key_id(self.ctx.public_key)}\n"
                      "このファイルを受け取る側に渡し、鍵IDを電話などで読み合わせて確かめてもらってください。")

    def choose_key_to_trust(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "信頼する公開鍵のファイル", str(_last_dir()), KEY_FILTER)
        if name:
            self.trust_key_file(Path(name))

    def trust_key_file(self, path: Path) -> None:
        try:
            public_key = sync.read_public_key(path)
        except UserError as exc:
            self._message(exc.message, warning=True)
            return
        dialog = AddTrustDialog(self, self.ctx, public_key)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            dialog.deleteLater()
            return
        orgs, note = dialog.orgs(), dialog.note()
        dialog.deleteLater()
        try:
            trusted = sync.add_trust(self.ctx, public_key, orgs, note)
        except UserError as exc:
            self._message(exc.message, warning=True)
            return
        self.refresh()
        self.bus.status_message.emit(f"鍵ID {trusted.key_id} を信頼しました（{trusted.org_names}）。")

    def remove_selected_trust(self) -> None:
        trust = self._selected_trust()
        if trust is None:
            return
        answer = QMessageBox.question(
            self, "信頼をやめる",
            f"鍵ID {trust.key_id}（{trust.org_names}）の信頼をやめますか？\n"
            "この鍵で署名されたパッケージは、今後取り込めなくなります。取り込み済みの記録はそのまま残ります。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            sync.remove_trust(self.ctx, trust.key_id)
        except UserError as exc:
            self._message(exc.message, warning=True)
        self.refresh()


# Drag & drop onto the main window ------------------------------------------------------------------------

def package_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local .jcimsync files a drag carries."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith(PACKAGE_SUFFIX)]
