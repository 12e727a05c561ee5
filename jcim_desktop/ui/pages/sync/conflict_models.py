"""The 競合 page's tables: the open conflicts, and one conflict's versions side by side, with the
names people recognise for records and the values of their fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont

from jcim_desktop.domain.entities import CONTACT_KEYS, FIELDS, FieldSpec
from jcim_desktop.errors import NotFound
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.fmt import join
from jcim_desktop.ui.pages.sync.wording import short_id
from jcim_desktop.ui.rows_model import CENTER, Column, RowsModel

translate = QCoreApplication.translate

DIFFERENT = QColor("#fff1d6")
MUTED = QColor(palette.MUTED)
EMPTY = "—"
MAX_CELL = 120
DELETED = "deleted"
"""The pseudo-field of a version that deletes the record."""


def version_letter(position: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[position] if position < 26 else str(position + 1)


def field_label(entity: str, name: str) -> str:
    if name == DELETED:
        return translate("RecordLabels", "状態（削除）")
    return labels.field(entity, name)


class RecordLabels:
    """Names people recognise for records and references, and field values as they read them
    (cached per refresh)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._cache: dict[tuple[str, str], str] = {}

    def reference(self, entity: str, record_id: str) -> str:
        key = (entity, record_id)
        if key not in self._cache:
            try:
                record = records.get(self.ctx, entity, record_id, include_deleted=True)
            except NotFound:
                self._cache[key] = translate("RecordLabels", "（見つからない記録 {id}）").format(id=record_id[:8])
            else:
                self._cache[key] = self.of(entity, record.data, record_id)
        return self._cache[key]

    def of(self, entity: str, data: Mapping[str, Any], record_id: str) -> str:
        if entity == "matchings":
            need = self.reference("needs", data["need_id"]) if data.get("need_id") else "?"
            seed = self.reference("seeds", data["seed_id"]) if data.get("seed_id") else "?"
            return f"{need} × {seed}"
        if entity == "seeds":
            return translate("RecordLabels", "{tech}（{company}）").format(
                tech=data.get("tech_name") or "", company=data.get("company") or "")
        if entity == "pitch_presentations":
            return self.reference("events", data["event_id"]) if data.get("event_id") else record_id[:8]
        if entity == "support_activities":
            where = self.lg_name(data.get("lg_code")) or str(data.get("country") or "")
            kind = labels.support_kind(str(data["kind"])) if data.get("kind") else ""
            activity = (kind, where, fmt.date_label(data.get("on")))
            return join((p for p in activity if p), ja="・", en=" · ") or record_id[:8]
        if entity == "municipality_status":
            return self.lg_name(data.get("lg_code")) or record_id[:8]
        if entity == "kpi_targets":
            fy = data.get("fiscal_year")
            target = (fmt.fy_label(fy) if isinstance(fy, int) else "",
                      labels.kpi_label(str(data["kpi"])) if data.get("kpi") else "")
            return " ".join(p for p in target if p) or record_id[:8]
        return str(data.get("title") or record_id[:8])

    def lg_name(self, code: object) -> str:
        lg = self.ctx.registry.get(code) if code else None
        return lg.full_name if lg is not None else (str(code) if code else "")

    @staticmethod
    def _choice(spec: FieldSpec, code: object) -> str:
        return labels.text(spec.choices[str(code)]) if spec.choices and str(code) in spec.choices else str(code)

    def value(self, entity: str, spec: FieldSpec, value: Any) -> str:
        """A field's value as a person reads it (labels, dates, names)."""
        if value is None or value == [] or value == "":
            return EMPTY
        kind = spec.type
        if kind == "enum":
            return self._choice(spec, value)
        if kind == "bool":
            return translate("RecordLabels", "はい") if value else translate("RecordLabels", "いいえ")
        if kind == "date":
            return fmt.date_label(str(value))
        if kind == "planned" and isinstance(value, Mapping):
            text = str(value.get("text") or "")
            span = fmt.date_range_label(value.get("start"), value.get("end")) if value.get("start") else ""
            if text and span:
                return translate("RecordLabels", "{text}（{span}）").format(text=text, span=span)
            return text or span or EMPTY
        if kind == "lg_code":
            return self.lg_name(value)
        if kind == "lg_codes" and isinstance(value, list):
            return join(self.lg_name(c) for c in value)
        if kind == "facility_types" and isinstance(value, list):
            return join(self._choice(spec, c) for c in value)
        if kind == "uuid":
            target = records.REFERENCES.get(entity, {}).get(spec.name)
            return self.reference(target, str(value)) if target else str(value)
        if kind == "contact" and isinstance(value, Mapping):
            return " / ".join(str(value[k]) for k in CONTACT_KEYS if value.get(k)) or EMPTY
        if kind == "stages" and isinstance(value, list):
            return " → ".join(
                translate("RecordLabels", "{stage}（{date}）").format(
                    stage=labels.matching_stage(str(s.get("stage"))), date=fmt.date_label(s.get("on")))
                for s in value if isinstance(s, Mapping)
            )
        if kind in ("number", "int") and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.number(value)
        return str(value)


# The list of conflicts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictRow:
    conflict: sync.Conflict
    label: str
    differing: str


class ConflictListModel(RowsModel[ConflictRow]):
    """One row per open conflict; another organisation's (read-only here) greyed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("種類"), lambda r: r.conflict.entity, text=lambda r: labels.entity(r.conflict.entity),
                   tooltip=lambda r: labels.entity(r.conflict.entity)),
            Column(self.tr("記録"), lambda r: r.label, tooltip=lambda r: r.label),
            Column(self.tr("所有組織"), lambda r: r.conflict.owner, text=lambda r: labels.org_short(r.conflict.owner),
                   tooltip=lambda r: labels.org(r.conflict.owner)),
            Column(self.tr("版の数"), lambda r: len(r.conflict.versions), align=CENTER),
            Column(self.tr("違う項目"), lambda r: r.differing, tooltip=lambda r: r.differing),
        ])

    def cell_data(self, row: ConflictRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.conflict.writable:
            return MUTED
        return None

    def conflict_at(self, row: int) -> sync.Conflict | None:
        found = self.row_at(row)
        return found.conflict if found is not None else None


# One conflict's versions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldRow:
    """A field of the conflicting record (``spec`` None: whether the version deletes it)."""

    spec: FieldSpec | None
    label: str
    differing: bool


class ConflictVersionsModel(RowsModel[FieldRow]):
    """Rows: the entity's fields; columns: the versions, the current one marked.

    A cell is worded when a view paints it: one odd value shows empty (and is logged) without
    hiding the others.
    """

    def __init__(self, ctx: AppContext, labels_: RecordLabels, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.ctx = ctx
        self.labels = labels_
        self.conflict: sync.Conflict | None = None

    def load(self, conflict: sync.Conflict | None) -> None:
        self.conflict = conflict
        rows: list[FieldRow] = []
        columns: list[Column[FieldRow]] = []
        if conflict is not None:
            differing = set(conflict.differing_fields())
            rows = [FieldRow(spec, labels.field(conflict.entity, spec.name), spec.name in differing)
                    for spec in FIELDS.get(conflict.entity, ())]
            if any(v.deleted for v in conflict.versions):
                rows.append(FieldRow(None, self.tr("状態"), DELETED in differing))
            columns = [Column(self.header_text(i), self._cell(i), text=self._shown(i), tooltip=self._tooltip(i))
                       for i in range(len(conflict.versions))]
        self.beginResetModel()
        self.columns, self.rows = columns, rows
        self.endResetModel()

    def cell_text(self, row: FieldRow, position: int) -> str:
        """How version ``position`` reads for the field of ``row``."""
        assert self.conflict is not None
        version = self.conflict.versions[position]
        if row.spec is None:
            return self.tr("削除済み") if version.deleted else self.tr("有効")
        if version.deleted and not version.data:
            return self.tr("（削除済み）")
        if row.spec.name not in version.data:
            # A package written without contacts says nothing about them (§2).
            return self.tr("（この版にはなし・今の内容が残ります）")
        return self.labels.value(self.conflict.entity, row.spec, version.data.get(row.spec.name))

    def _cell(self, position: int) -> Callable[[FieldRow], str]:
        return lambda row: self.cell_text(row, position)

    def _shown(self, position: int) -> Callable[[FieldRow], str]:
        def text(row: FieldRow) -> str:
            cell = self.cell_text(row, position)
            return cell if len(cell) <= MAX_CELL else cell[:MAX_CELL] + "…"
        return text

    def _tooltip(self, position: int) -> Callable[[FieldRow], str | None]:
        def tip(row: FieldRow) -> str | None:
            cell = self.cell_text(row, position)
            return cell if len(cell) > 20 else None
        return tip

    def header_text(self, position: int) -> str:
        """``版A（現在の内容）`` then when the version was made and on which installation."""
        assert self.conflict is not None
        version = self.conflict.versions[position]
        letter = version_letter(position)
        name = self.tr("版{letter}（現在の内容）") if version.is_current else self.tr("版{letter}")
        node = version.installation
        where = self.tr("この端末") if node == self.ctx.installation_id else self.tr("端末 {id}").format(id=short_id(node))
        # To the minute: the versions stand side by side in a narrow window (seconds made the
        # heading's width depend on the time of day).
        made = fmt.datetime_label(version.made_at, seconds=False) if version.made_at else version.hlc
        return f"{name.format(letter=letter)}\n{made}\n{where}"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return super().headerData(section, orientation, role)
        if not (0 <= section < len(self.rows)):
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role == Qt.ItemDataRole.FontRole and row.differing:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell_data(self, row: FieldRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.differing:
            return DIFFERENT
        return None

    def is_differing_row(self, row: int) -> bool:
        found = self.row_at(row)
        return found is not None and found.differing
