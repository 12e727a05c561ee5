"""競合: records changed on two installations at once (SYNC_FORMAT §3 rule 5), their versions side
by side, and keeping one version or editing a merged one (a new change that settles it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.entities import CONTACT_KEYS, ENTITY_LABELS, FIELDS, FieldSpec
from jcim_desktop.domain.fiscal import format_era_date
from jcim_desktop.domain.kpi import KPI_BY_CODE
from jcim_desktop.domain.matching import STAGE_LABELS
from jcim_desktop.domain.orgs import ORGS, org_name
from jcim_desktop.domain.versioning import HlcStamp
from jcim_desktop.domain.vocab import SUPPORT_KINDS
from jcim_desktop.errors import UserError
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs import DIALOGS, open_record_dialog
from jcim_desktop.ui.dialogs.base import ask
from jcim_desktop.ui.fmt import date_label, fy_label
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.pages.sync_page import short_id

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

READ_ONLY_NOTE = "他組織の記録です。その組織の端末で解決されます。"
DIFFERENT = QColor("#fff1d6")
CURRENT_HEADER = "現在の内容"
EMPTY = "—"
NOT_CARRIED = "（この版にはなし・今の内容が残ります）"
MAX_CELL = 120
# Fields naming another record, and the entity they name (as in services.records).
_REFERENCES: dict[str, str] = {"event_id": "events", "pitch_event_id": "events", "seed_id": "seeds",
                               "need_id": "needs", "matching_id": "matchings"}


def version_letter(position: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[position] if position < 26 else str(position + 1)


def hlc_label(hlc: str) -> str:
    """When a version was made (this computer's time zone), from its HLC stamp."""
    try:
        stamp = HlcStamp.parse(hlc)
    except ValueError:
        return hlc
    # The short era form (R8.11.23 14:05) keeps a version's column header on one line per fact.
    moment = dt.datetime.fromtimestamp(stamp.millis / 1000, tz=dt.timezone.utc).astimezone()
    return f"{format_era_date(moment.date(), 'short')} {moment:%H:%M}"


def hlc_installation(hlc: str) -> str:
    try:
        return HlcStamp.parse(hlc).node
    except ValueError:
        return ""


class RecordLabels:
    """Names people recognise for records and references (cached per refresh)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._cache: dict[tuple[str, str], str] = {}

    def reference(self, entity: str, record_id: str) -> str:
        key = (entity, record_id)
        if key not in self._cache:
            try:
                record = records.get(self.ctx, entity, record_id, include_deleted=True)
            except UserError:
                self._cache[key] = f"（見つからない記録 {record_id[:8]}）"
            else:
                self._cache[key] = self.of(entity, record.data, record_id)
        return self._cache[key]

    def of(self, entity: str, data: Mapping[str, Any], record_id: str) -> str:
        if entity == "matchings":
            need = self.reference("needs", data["need_id"]) if data.get("need_id") else "?"
            seed = self.reference("seeds", data["seed_id"]) if data.get("seed_id") else "?"
            return f"{need} × {seed}"
        if entity == "seeds":
            return f"{data.get('tech_name') or ''}（{data.get('company') or ''}）"
        if entity == "pitch_presentations":
            return self.reference("events", data["event_id"]) if data.get("event_id") else record_id[:8]
        if entity == "support_activities":
            where = self.lg_name(data.get("lg_code")) or data.get("country") or ""
            kind = SUPPORT_KINDS.get(str(data.get("kind")), "")
            return "・".join(p for p in (kind, where, date_label(data.get("on"))) if p) or record_id[:8]
        if entity == "municipality_status":
            return self.lg_name(data.get("lg_code")) or record_id[:8]
        if entity == "kpi_targets":
            kpi = KPI_BY_CODE.get(str(data.get("kpi")))
            fy = data.get("fiscal_year")
            return f"{fy_label(int(fy)) if isinstance(fy, int) else ''} {kpi.label if kpi else ''}".strip() or record_id[:8]
        return str(data.get("title") or record_id[:8])

    def lg_name(self, code: object) -> str:
        lg = self.ctx.registry.get(code) if code else None
        return lg.full_name if lg is not None else (str(code) if code else "")

    def value(self, spec: FieldSpec, value: Any) -> str:
        """A field's value as a person reads it (labels, era dates, names), never raising."""
        if value is None or value == [] or value == "":
            return EMPTY
        kind = spec.type
        if kind == "enum" and spec.choices:
            return spec.choices.get(str(value), str(value))
        if kind == "bool":
            return "はい" if value else "いいえ"
        if kind == "date":
            return date_label(str(value))
        if kind == "planned" and isinstance(value, Mapping):
            text = str(value.get("text") or "")
            span = f"{date_label(value.get('start'))}〜{date_label(value.get('end'))}" if value.get("start") else ""
            return f"{text}（{span}）" if text and span else (text or span or EMPTY)
        if kind == "lg_code":
            return self.lg_name(value)
        if kind == "lg_codes" and isinstance(value, list):
            return "、".join(self.lg_name(c) for c in value)
        if kind == "facility_types" and isinstance(value, list) and spec.choices:
            return "、".join(spec.choices.get(str(c), str(c)) for c in value)
        if kind == "uuid":
            target = _REFERENCES.get(spec.name)
            return self.reference(target, str(value)) if target else str(value)
        if kind == "contact" and isinstance(value, Mapping):
            return " / ".join(str(value[k]) for k in CONTACT_KEYS if value.get(k)) or EMPTY
        if kind == "stages" and isinstance(value, list):
            return " → ".join(
                f"{STAGE_LABELS.get(str(s.get('stage')), s.get('stage'))}（{date_label(s.get('on'))}）"
                for s in value if isinstance(s, Mapping)
            )
        if kind == "number" and isinstance(value, float) and value.is_integer():
            return f"{int(value):,}"
        return str(value)


class ConflictListModel(QAbstractTableModel):
    HEADERS = ("種類", "記録", "所有組織", "版の数", "違う項目")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[sync.Conflict, str, str]] = []

    def load(self, rows: Sequence[tuple[sync.Conflict, str, str]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.HEADERS)):
            return None
        conflict, label, differing = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                ENTITY_LABELS.get(conflict.entity, conflict.entity),
                label,
                ORGS[conflict.owner].short_name if conflict.owner in ORGS else conflict.owner,
                f"{len(conflict.versions)}",
                differing,
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 4):
            return (label, org_name(conflict.owner), differing)[(1, 2, 4).index(col)]
        if role == Qt.ItemDataRole.ForegroundRole and not conflict.writable:
            return QColor("#5f6b7a")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def conflict_at(self, row: int) -> sync.Conflict | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None


class ConflictVersionsModel(QAbstractTableModel):
    """Rows: the entity's fields (Japanese labels); columns: the versions, the current one marked."""

    def __init__(self, ctx: AppContext, labels: RecordLabels, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.labels = labels
        self.conflict: sync.Conflict | None = None
        self.fields: list[FieldSpec] = []
        self.differing: set[str] = set()
        self.cells: list[list[str]] = []

    def load(self, conflict: sync.Conflict | None) -> None:
        self.beginResetModel()
        self.conflict = conflict
        self.fields, self.cells, self.differing = [], [], set()
        if conflict is not None:
            self.differing = set(conflict.differing_fields())
            self.fields = list(FIELDS.get(conflict.entity, ()))
            if any(v.deleted for v in conflict.versions):
                self.fields.append(FieldSpec("deleted", "状態", "deleted", False))
            for spec in self.fields:
                row = []
                for version in conflict.versions:
                    if spec.name == "deleted":
                        row.append("削除済み" if version.deleted else "有効")
                    elif version.deleted and not version.data:
                        row.append("（削除済み）")
                    elif spec.name not in version.data:
                        # A package written without contacts says nothing about them (§2).
                        row.append(NOT_CARRIED)
                    else:
                        try:
                            row.append(self.labels.value(spec, version.data.get(spec.name)))
                        except Exception:  # noqa: BLE001 - one odd value must not hide the others
                            row.append(str(version.data.get(spec.name)))
                self.cells.append(row)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def columnCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self.conflict is None:
            return 0
        return len(self.conflict.versions)

    def header_text(self, section: int) -> str:
        assert self.conflict is not None
        version = self.conflict.versions[section]
        node = hlc_installation(version.hlc)
        where = "この端末" if node == self.ctx.installation_id else f"端末 {short_id(node)}"
        mark = f"（{CURRENT_HEADER}）" if version.is_current else ""
        return f"版{version_letter(section)}{mark}\n{hlc_label(version.hlc)}・{where}"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.FontRole and orientation == Qt.Orientation.Vertical \
                    and 0 <= section < len(self.fields) and self.fields[section].name in self.differing:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if orientation == Qt.Orientation.Horizontal:
            if self.conflict is not None and 0 <= section < len(self.conflict.versions):
                return self.header_text(section)
            return None
        if 0 <= section < len(self.fields):
            return self.fields[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.cells)):
            return None
        row = self.cells[index.row()]
        if not (0 <= index.column() < len(row)):
            return None
        text = row[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > 20:
            return text
        if role == Qt.ItemDataRole.BackgroundRole and self.fields[index.row()].name in self.differing:
            return DIFFERENT
        return None

    def is_differing_row(self, row: int) -> bool:
        return 0 <= row < len(self.fields) and self.fields[row].name in self.differing


class ConflictsPage(Page):
    page_id = "conflicts"
    title = "競合"
    entities = ()

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.labels = RecordLabels(ctx)
        self.adopt_buttons: list[QPushButton] = []

        title = QLabel("競合")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        intro = QLabel("同じ記録が別々の端末でほぼ同時に変更されると、どちらの版も残して競合として表示します。"
                       "版を見比べて採用するか、編集して内容をまとめてください。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        self.count_label = QLabel()

        self.list_model = ConflictListModel(self)
        self.list_view = QTableView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.verticalHeader().setVisible(False)
        self.list_view.verticalHeader().setDefaultSectionSize(26)
        self.list_view.horizontalHeader().setStretchLastSection(True)
        self.list_view.horizontalHeader().setMinimumSectionSize(40)
        for col, width in enumerate((92, 130, 76, 44)):
            self.list_view.setColumnWidth(col, width)
        self.list_view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.detail_title = QLabel()
        self.detail_title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.detail_title.setWordWrap(True)
        self.detail_note = QLabel()
        self.detail_note.setWordWrap(True)
        self.versions_model = ConflictVersionsModel(ctx, self.labels, self)
        self.versions_view = QTableView()
        self.versions_view.setModel(self.versions_model)
        self.versions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_view.setWordWrap(True)
        self.versions_view.verticalHeader().setDefaultSectionSize(28)
        self.versions_view.verticalHeader().setMinimumWidth(150)
        self.versions_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.adopt_row = QHBoxLayout()
        self.edit_button = QPushButton("編集して解決…")
        self.edit_button.setToolTip("現在の内容を編集して保存します。保存した内容が新しい版になり、競合は解消されます。")
        self.edit_button.clicked.connect(self.edit_to_resolve)
        buttons = QHBoxLayout()
        buttons.addLayout(self.adopt_row)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)

        detail = QWidget()
        dv = QVBoxLayout(detail)
        dv.setContentsMargins(0, 0, 0, 0)
        dv.addWidget(self.detail_title)
        dv.addWidget(self.detail_note)
        dv.addWidget(self.versions_view, 1)
        dv.addLayout(buttons)

        self.list_view.setMinimumWidth(320)
        splitter = QSplitter()
        splitter.addWidget(self.list_view)
        splitter.addWidget(detail)
        splitter.setSizes([450, 610])
        splitter.setChildrenCollapsible(False)

        empty = QWidget()
        ev = QVBoxLayout(empty)
        ev.addStretch(1)
        big = QLabel("競合はありません")
        big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big.setStyleSheet("font-size: 22px; font-weight: bold; color: #1b7f3b;")
        small = QLabel("取り込んだ記録はすべて自動でまとまりました。\n"
                       "同じ記録が別々の端末で同時に変更されたときだけ、ここに表示されます（どちらの版も失われません）。")
        small.setAlignment(Qt.AlignmentFlag.AlignCenter)
        small.setStyleSheet("color: #5f6b7a; font-size: 14px;")
        ev.addWidget(big)
        ev.addWidget(small)
        ev.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(splitter)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        self._show_selected()

    # Loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_conflict()
        key = (selected.entity, selected.record_id) if selected else None
        self.labels = RecordLabels(self.ctx)
        self.versions_model.labels = self.labels
        rows = []
        for conflict in sync.conflicts(self.ctx):
            try:
                label = self.labels.of(conflict.entity, next(v for v in conflict.versions if v.is_current).data
                                       or conflict.versions[0].data, conflict.record_id)
            except Exception:  # noqa: BLE001 - a name that cannot be made falls back to the service's
                label = conflict.label
            differing = "、".join("状態（削除）" if name == "deleted" else self._field_label(conflict.entity, name)
                                  for name in conflict.differing_fields())
            rows.append((conflict, label, differing or "（内容は同じ）"))
        self.list_model.load(rows)
        self.stack.setCurrentIndex(1 if rows else 0)
        writable = sum(c.writable for c, _, _ in rows)
        self.count_label.setText(f"{len(rows)} 件（この端末で解決できるもの {writable} 件）" if rows else "")
        row = 0
        if key is not None:
            row = next((i for i, (c, _, _) in enumerate(rows) if (c.entity, c.record_id) == key), 0)
        if rows:
            self.list_view.selectRow(row)
        self._show_selected()

    @staticmethod
    def _field_label(entity: str, name: str) -> str:
        return next((s.label for s in FIELDS.get(entity, ()) if s.name == name), name)

    def selected_conflict(self) -> sync.Conflict | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.list_model.conflict_at(rows[0].row()) if rows else None

    def select_conflict(self, entity: str, record_id: str) -> bool:
        for row, (conflict, _, _) in enumerate(self.list_model.rows):
            if (conflict.entity, conflict.record_id) == (entity, record_id):
                self.list_view.selectRow(row)
                return True
        return False

    def _show_selected(self) -> None:
        conflict = self.selected_conflict()
        self.versions_model.load(conflict)
        for button in self.adopt_buttons:
            self.adopt_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.adopt_buttons = []
        if conflict is None:
            self.detail_title.setText("")
            self.detail_note.setText("左の一覧から競合を選んでください。")
            self.edit_button.setEnabled(False)
            return
        label = self.list_model.rows[self.list_view.selectionModel().selectedRows()[0].row()][1]
        self.detail_title.setText(f"{ENTITY_LABELS.get(conflict.entity, conflict.entity)}「{label}」"
                                  f"（{org_name(conflict.owner)}の記録）")
        if conflict.writable:
            self.detail_note.setText("色の付いた行が版によって違う項目です。採用する版を選ぶか、"
                                     "「編集して解決…」で内容をまとめて保存してください。")
            self.detail_note.setStyleSheet("color: #555;")
        else:
            self.detail_note.setText(READ_ONLY_NOTE)
            self.detail_note.setStyleSheet("color: #9c4221; font-weight: bold;")
        for position, version in enumerate(conflict.versions):
            button = QPushButton(f"この版を採用（版{version_letter(position)}）")
            button.setEnabled(conflict.writable)
            button.setToolTip(self.versions_model.header_text(position).replace("\n", "　"))
            button.clicked.connect(lambda _=False, p=position: self.adopt_version(p))
            self.adopt_row.addWidget(button)
            self.adopt_buttons.append(button)
        current = next((v for v in conflict.versions if v.is_current), None)
        self.edit_button.setEnabled(
            conflict.writable and conflict.entity in DIALOGS and current is not None and not current.deleted
        )
        self.versions_view.resizeRowsToContents()

    # Resolving ----------------------------------------------------------------------------------
    def adopt_version(self, position: int) -> bool:
        conflict = self.selected_conflict()
        if conflict is None or not conflict.writable or not (0 <= position < len(conflict.versions)):
            return False
        version = conflict.versions[position]
        letter = version_letter(position)
        if not ask(self, "この版を採用",
                   f"版{letter}の内容で確定しますか？\nほかの版の内容は使われなくなります。確定した内容は、"
                   "次の同期で他の端末にも届きます。", "採用する", "やめる"):
            return False
        try:
            sync.resolve_conflict(self.ctx, conflict.entity, conflict.record_id,
                                  None if version.deleted else version.data, deleted=version.deleted)
        except UserError as exc:
            QMessageBox.warning(self, "競合", exc.message)
            return False
        self.bus.records_changed.emit(conflict.entity)
        self.bus.status_message.emit(f"版{letter}を採用して競合を解決しました。")
        self.activate()
        return True

    def edit_to_resolve(self) -> None:
        conflict = self.selected_conflict()
        if conflict is None or not conflict.writable or conflict.entity not in DIALOGS:
            return
        saved = open_record_dialog(self, self.ctx, conflict.entity, record_id=conflict.record_id, bus=self.bus)
        if saved is not None:
            self.bus.records_changed.emit(conflict.entity)
            self.activate()
