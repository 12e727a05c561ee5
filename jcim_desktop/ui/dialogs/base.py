"""What every entry dialog shares: fields bound to a Designer form, live validation, drafts, closing.

A dialog subclass names its entity and form and binds each ``data`` field to a widget in
``build()``. The base then validates through ``services.records.clean`` while typing (errors
beside each field in red, 保存 disabled while anything is wrong, each message gone as soon as
its field is right), writes a draft shortly after every change so a crash loses nothing, asks
before unsaved changes are thrown away, and saves through the record services as one operation
(``ops.perform``: the change is announced once, a validation error comes back beside its field,
the status bar says what was saved). A planned date that could not be read is a warning, and
saving asks before it is kept as 未定. Tab visits the fields as they are laid out
(:mod:`~jcim_desktop.ui.widgets.tab_order`). It holds no business rules: those are the
services' and domain's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import shiboken6
from PySide6.QtCore import QTimer, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.entities import CONTACT_KEYS, FIELDS, is_email, is_phone
from jcim_desktop.domain.fiscal import parse_era_date
from jcim_desktop.domain.orgs import ORG_CODES
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import closing, drafts, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.forms import child, load_form
from jcim_desktop.ui.widgets import tab_order
from jcim_desktop.ui.widgets.facility_types import FacilityTypesEdit
from jcim_desktop.ui.widgets.municipality import MunicipalityPicker
from jcim_desktop.ui.widgets.planned_date import PlannedDateEdit
from jcim_desktop.ui.widgets.record_history import RecordHistoryView, add_history_tab, wrap_in_tabs

VALIDATE_DELAY_MS = 200
DRAFT_DELAY_MS = 500
STARTED_FROM = "_started_from"
"""The key of a draft's ``extra`` that keeps the version of the record the input started from."""
W = TypeVar("W", bound=QWidget)


class _Changing(Protocol):
    """A custom field widget: it signals every edit."""

    changed: SignalInstance


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A question with two buttons worded by the caller (the one seam tests replace)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _json_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class Titles:
    """A dialog's window titles, each a whole phrase for the translator."""

    new: str
    edit: str
    read_only: str


@dataclass
class Field:
    """One ``data`` field and the widget that edits it."""

    name: str
    get: Callable[[], Any]
    set: Callable[[Any], None]
    widgets: list[QWidget]
    error_label: QLabel | None
    # A message the widget itself knows (e.g. an unreadable date), shown instead of clean's.
    local_error: Callable[[], str | None] = field(default=lambda: None)


class RecordDialog(QDialog):
    """Base of the entry dialogs. ``saved`` is the stored record after a successful save.

    Texts of this class are translated in context ``RecordDialog``; a subclass's own texts, and
    its Designer form's, in the subclass's context (``EventDialog`` …).
    """

    entity = ""
    # A stored record's 変更履歴 tab, and the tab widget made for it in a form that had none.
    history: RecordHistoryView | None = None
    history_tabs: QTabWidget | None = None
    form_name = ""
    # Fields whose errors share another field's label: {"held_to": "heldError"}.
    error_label_names: dict[str, str] = {}

    def __init__(
        self,
        ctx: AppContext,
        record_id: str | None = None,
        template: Mapping[str, Any] | None = None,
        bus: ChangeBus | None = None,
        parent: QWidget | None = None,
        *,
        draft: drafts.Draft | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus
        self.record: records.Record | None = records.get(ctx, self.entity, record_id) if record_id else None
        # The version of the record the input starts from (its hlc): the save is checked against
        # it, so that a colleague's save meanwhile is shown, not written over.
        self.started_from: str | None = self.record.hlc if self.record is not None else None
        self.saved: records.Record | None = None
        self.read_only = self.record is not None and not ctx.can_write(self.record.owner)
        self.draft_key = draft.key if draft is not None else drafts.new_draft_key()
        self.fields: dict[str, Field] = {}
        self.errors: dict[str, str] = {}
        self.planned_edits: dict[str, PlannedDateEdit] = {}
        self._touched: set[str] = set()
        self._show_all_errors = False
        self._loading = True
        self._draft_problem: str | None = None
        # A save refused because someone saved the record first, while the person goes back to the input.
        self._save_problem: str | None = None
        self.conflict_view: QDialog | None = None

        self.form = load_form(self.form_name, self)
        self.form_layout = child(self.form, QFormLayout, "formLayout")
        self.message_label = child(self.form, QLabel, "messageLabel")
        self.buttons = child(self.form, QDialogButtonBox, "buttonBox")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.setText(self.tr("保存"))
        self.cancel_button.setText(self.tr("キャンセル"))
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # Enter moves on through the form (as in a spreadsheet) and never saves half an entry;
        # saving from the keyboard is Ctrl+S or Ctrl+Enter.
        for keys in (QKeySequence(QKeySequence.StandardKey.Save), QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")):
            QShortcut(keys, self).activated.connect(self._save_from_keyboard)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate_now)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)

        self._setup_owner()
        self.build()
        for error in self.form.findChildren(QLabel):
            if error.objectName().endswith("Error"):
                self._show_error_label(error, "")

        # The baseline (what "unchanged" means) is the record, the defaults or the template;
        # a restored draft is a change against it.
        start = dict(self.record.data) if self.record is not None else self.defaults()
        if template:
            start.update({k: v for k, v in template.items() if k in self.fields})
        self.set_data(start)
        self._baseline = self.snapshot()
        if draft is not None:
            self.set_data(dict(draft.data))
            if draft.owner:
                self.set_owner(draft.owner)
            extra = dict(draft.extra)
            started_from = extra.pop(STARTED_FROM, None)
            if isinstance(started_from, str) and self.record is not None:
                # Input typed on an older version: saving it shows what changed since.
                self.started_from = started_from
            self.restore_extra(extra)
        self._loading = False
        self._show_all_errors = self.record is not None or bool(template) or draft is not None

        if self.read_only:
            self._make_read_only()
        self.update_title()
        self.after_load()
        self._setup_history()
        self._setup_closed_year()
        self._chain_tab_order()
        for edit in self.findChildren(QLineEdit):
            edit.returnPressed.connect(self.focusNextChild)
        self.validate_now()
        if draft is not None:
            self._draft_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # QDialogButtonBox makes 保存 the default button when shown; Enter must not press it.
        for button in self.findChildren(QPushButton):
            button.setDefault(False)
            button.setAutoDefault(False)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        """Tab and Shift+Tab follow :meth:`tab_chain` (the order the fields are seen in)."""
        return tab_order.move_focus(self.tab_chain(), next) or super().focusNextPrevChild(next)

    def _save_from_keyboard(self) -> None:
        if self.save_button.isVisible():
            self.save()

    def update_title(self) -> None:
        titles = self.titles()
        self.setWindowTitle(titles.read_only if self.read_only else titles.edit if self.record else titles.new)

    # -- for subclasses --------------------------------------------------------------------
    def build(self) -> None:
        """Bind the fields (``bind_*``) and fill the holders with custom widgets."""

    def defaults(self) -> dict[str, Any]:
        """The data of a new record before anything is typed."""
        return {}

    def titles(self) -> Titles:
        """The window titles (each dialog words its own: 「自治体ニーズの新規登録」 / "New municipal need")."""
        raise NotImplementedError

    def after_load(self) -> None:
        """Called once the initial values are in place (show/hide rows that depend on them)."""

    def extra_state(self) -> dict[str, Any]:
        """Unsaved input outside ``data`` (kept in drafts and counted as a change)."""
        return {}

    def restore_extra(self, extra: dict[str, Any]) -> None:
        """Put back what ``extra_state`` returned."""

    def written_extra_state(self) -> dict[str, Any]:
        """``extra_state`` as it is once everything has been written (nothing pending)."""
        return self.extra_state()

    def extra_errors(self) -> dict[str, str]:
        return {}

    def write(self, data: dict[str, Any]) -> Any:
        """Store ``data`` (one service call, run through ``ops.perform``): the saved record, or a
        result carrying it that :meth:`saved_record` and :meth:`after_save` understand.

        A stored record is saved against the version the input started from (``started_from``): if
        someone saved it since, nothing is written and the conflict view opens (``EditConflict``)."""
        if self.record is not None:
            return records.update(self.ctx, self.entity, self.record.id, data, expected_hlc=self.started_from)
        return records.create(self.ctx, self.entity, data, owner=self.owner())

    def saved_record(self, result: Any) -> records.Record:
        """The record in what :meth:`write` returned."""
        assert isinstance(result, records.Record)
        return result

    def after_save(self, result: Any) -> bool:
        """Show what :meth:`write` could not finish; False keeps the dialog open to finish it."""
        return True

    def record_name(self, record: records.Record) -> str:
        """How the status bar names a saved record (its title; dialogs without one say otherwise)."""
        return str(record.data.get("title") or "")

    def saved_message(self, record: records.Record) -> str:
        """The status bar's line once ``record`` is saved: 「自治体ニーズ「河川堤防の点検」を保存しました」."""
        return self.tr("{record}「{name}」を保存しました").format(
            record=labels.entity(self.entity), name=self.record_name(record))

    def tab_chain(self) -> list[QWidget]:
        """The parts of the dialog in the order they are seen (Tab follows it): the owner, then
        each field as bound, then the buttons. A dialog with more inputs than its fields says where."""
        chain: list[QWidget] = [self.owner_combo]
        for bound in self.fields.values():
            chain.extend(bound.widgets)
        head = [self.history_tabs] if self.history_tabs is not None else []
        tail = [self.history] if self.history is not None else []
        return [*head, *chain, *tail, self.buttons]

    # -- binding -----------------------------------------------------------------------------
    def _error_label(self, name: str) -> QLabel | None:
        label_name = self.error_label_names.get(name, f"{camel(name)}Error")
        return self.form.findChild(QLabel, label_name)

    def bind(
        self,
        name: str,
        get: Callable[[], Any],
        set_: Callable[[Any], None],
        signals: list[Any],
        widgets: list[QWidget],
        local_error: Callable[[], str | None] | None = None,
    ) -> Field:
        bound = Field(name, get, set_, widgets, self._error_label(name), local_error or (lambda: None))
        self.fields[name] = bound
        for signal in signals:
            signal.connect(lambda *_args, _name=name: self.on_change(_name))
        return bound

    def bind_line(self, name: str, widget_name: str | None = None) -> QLineEdit:
        edit = child(self.form, QLineEdit, widget_name or f"{camel(name)}Edit")

        def get() -> str | None:
            return edit.text() if edit.text().strip() else None

        def set_(value: Any) -> None:
            edit.setText("" if value is None else str(value))

        self.bind(name, get, set_, [edit.textChanged], [edit])
        return edit

    def bind_date(self, name: str, widget_name: str | None = None) -> QLineEdit:
        """A date typed as 2024-07-01, R6.7.1 or 令和6年7月1日; stored as ISO."""
        edit = child(self.form, QLineEdit, widget_name or f"{camel(name)}Edit")
        label = labels.field(self.entity, name)

        def parsed() -> dt.date | str | None:
            text = edit.text().strip()
            if not text:
                return None
            try:
                return parse_era_date(text)
            except ValueError:
                return self.tr("{field}: 「{text}」は日付として正しくありません。例: 2024-07-01、R6.7.1、令和6年7月1日").format(
                    field=label, text=text)

        def get() -> str | None:
            value = parsed()
            if isinstance(value, dt.date):
                return value.isoformat()
            return edit.text().strip() or None

        def set_(value: Any) -> None:
            edit.setText("" if value is None else str(value))

        def local_error() -> str | None:
            value = parsed()
            return value if isinstance(value, str) else None

        self.bind(name, get, set_, [edit.textChanged], [edit], local_error)
        return edit

    def bind_text(self, name: str, widget_name: str | None = None) -> QPlainTextEdit:
        edit = child(self.form, QPlainTextEdit, widget_name or f"{camel(name)}Edit")

        def get() -> str | None:
            text = edit.toPlainText()
            return text if text.strip() else None

        def set_(value: Any) -> None:
            edit.setPlainText("" if value is None else str(value))

        self.bind(name, get, set_, [edit.textChanged], [edit])
        return edit

    def bind_combo(
        self, name: str, codes: Iterable[str], label: Callable[[str], str], widget_name: str | None = None
    ) -> QComboBox:
        """A choice among ``codes``, each shown as ``label(code)`` (a :mod:`~jcim_desktop.ui.labels` function)."""
        combo = child(self.form, QComboBox, widget_name or f"{camel(name)}Combo")
        combo.clear()
        combo.setPlaceholderText(self.tr("選んでください"))
        for code in codes:
            combo.addItem(label(code), code)
        combo.setCurrentIndex(-1)

        def get() -> str | None:
            value = combo.currentData()
            return str(value) if value is not None else None

        def set_(value: Any) -> None:
            combo.setCurrentIndex(combo.findData(value) if value is not None else -1)

        self.bind(name, get, set_, [combo.currentIndexChanged], [combo])
        return combo

    def bind_check(self, name: str, widget_name: str | None = None) -> QCheckBox:
        box = child(self.form, QCheckBox, widget_name or f"{camel(name)}Check")
        self.bind(name, box.isChecked, lambda value: box.setChecked(bool(value)), [box.toggled], [box])
        return box

    def bind_contact(self) -> None:
        edits = {key: child(self.form, QLineEdit, f"contact{key.capitalize()}Edit") for key in CONTACT_KEYS}

        def get() -> dict[str, str] | None:
            values = {key: edit.text().strip() for key, edit in edits.items()}
            if not any(values.values()):
                return None
            return {key: value for key, value in values.items() if value}

        def set_(value: Any) -> None:
            value = value if isinstance(value, Mapping) else {}
            for key, edit in edits.items():
                edit.setText(str(value.get(key) or ""))

        def local_error() -> str | None:
            # The domain's rule, worded here in the window's language (Excel and packages get the domain's).
            problems = []
            email, phone = edits["email"].text().strip(), edits["phone"].text().strip()
            if email and not is_email(email):
                problems.append(self.tr("メールアドレス「{text}」の形式が正しくありません。半角で taro@example.jp のように入力してください。")
                                .format(text=email))
            if phone and not is_phone(phone):
                problems.append(self.tr("電話番号「{text}」は、市外局番から数字とハイフンで入力してください（例: 082-123-4567）。")
                                .format(text=phone))
            return "\n".join(problems) or None

        self.bind("contact", get, set_, [e.textChanged for e in edits.values()], list(edits.values()), local_error)

    def bind_custom(
        self,
        name: str,
        holder_name: str,
        widget: W,
        get: Callable[[], Any],
        set_: Callable[[Any], None],
        local_error: Callable[[], str | None] | None = None,
    ) -> W:
        """Put a custom widget into the Designer placeholder ``holder_name`` and bind ``name`` to it
        (``get`` and ``set_`` its value; its ``changed`` signal tells of every edit)."""
        self.place(holder_name, widget)
        self.bind(name, get, set_, [cast(_Changing, widget).changed], [widget], local_error)
        return widget

    def bind_municipality(self, name: str = "lg_code", holder_name: str = "lgCodeHolder") -> MunicipalityPicker:
        """One local government (stored as its code), found by name, reading or code."""
        picker = MunicipalityPicker(self.ctx.registry)
        return self.bind_custom(name, holder_name, picker, picker.code, picker.set_code)

    def bind_facility_types(
        self, name: str = "facility_types", holder_name: str = "facilityTypesHolder"
    ) -> FacilityTypesEdit:
        """The kinds of infrastructure a record concerns (a check box each)."""
        edit = FacilityTypesEdit()
        return self.bind_custom(name, holder_name, edit, edit.value, edit.set_value)

    def bind_planned(self, name: str, holder_name: str, fiscal_year: int) -> PlannedDateEdit:
        """A planned date read in ``fiscal_year`` (the record's, or the current one)."""
        edit = PlannedDateEdit(fiscal_year)
        label = labels.field(self.entity, name)

        def local_error() -> str | None:
            return None if edit.text().strip() else self.tr("{field}を入力してください。").format(field=label)

        self.planned_edits[name] = edit
        return self.bind_custom(name, holder_name, edit, edit.value, edit.set_value, local_error)

    def place(self, holder_name: str, widget: QWidget) -> QWidget:
        """Put a custom widget into the Designer placeholder ``holder_name``."""
        holder = child(self.form, QWidget, holder_name)
        layout = holder.layout() or QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        holder.setFocusProxy(widget)
        return widget

    def _chain_tab_order(self) -> None:
        # Custom widgets are created after the form's own, so Tab would visit them last.
        tab_order.chain(self.tab_chain())
        # The first field has the focus (a secretariat's owner is chosen once, rarely changed).
        for widget in tab_order.stops_of(w for bound in self.fields.values() for w in bound.widgets):
            if widget.isEnabled():
                widget.setFocus()
                break

    # -- owner -------------------------------------------------------------------------------
    def _setup_owner(self) -> None:
        self.owner_combo = child(self.form, QComboBox, "ownerCombo")
        owners = [code for code in ORG_CODES if code in self.ctx.writable_owners()]
        if self.record is not None and self.record.owner not in owners:
            owners.append(self.record.owner)
        for code in owners:
            self.owner_combo.addItem(labels.org(code), code)
        current = self.record.owner if self.record is not None else self.ctx.default_owner()
        self.owner_combo.setCurrentIndex(max(0, self.owner_combo.findData(current)))
        # A forum writes only its own records: there is nothing to choose, so no row.
        self.set_row_visible(self.owner_combo, self.ctx.is_secretariat)
        self.owner_combo.setEnabled(self.record is None)
        self.owner_combo.currentIndexChanged.connect(lambda *_: self.on_change("_owner"))

    def owner(self) -> str:
        return str(self.owner_combo.currentData())

    def set_owner(self, owner: str) -> None:
        index = self.owner_combo.findData(owner)
        if index >= 0 and self.record is None:
            self.owner_combo.setCurrentIndex(index)

    # -- rows --------------------------------------------------------------------------------
    def _row_of(self, item: QWidget | QLayout) -> tuple[QFormLayout, int] | None:
        for layout in [self.form_layout, *self.form.findChildren(QFormLayout)]:
            position = layout.getLayoutPosition(item) if isinstance(item, QLayout) else layout.getWidgetPosition(item)
            row = int(position[0])  # type: ignore[index]
            if row >= 0:
                return layout, row
        return None

    def set_row_visible(self, item: QWidget | QLayout, visible: bool) -> None:
        """Show or hide the form row of ``item`` (and its error row just below, if any)."""
        found = self._row_of(item)
        if found is None:
            if isinstance(item, QWidget):
                item.setVisible(visible)
            return
        layout, row = found
        layout.setRowVisible(row, visible)
        below = layout.itemAt(row + 1, QFormLayout.ItemRole.FieldRole) if row + 1 < layout.rowCount() else None
        label = below.widget() if below is not None else None
        if isinstance(label, QLabel) and label.objectName().endswith("Error"):
            layout.setRowVisible(row + 1, visible and bool(label.text()))

    def _show_error_label(self, label: QLabel, text: str) -> None:
        label.setText(text)
        found = self._row_of(label)
        if found is None:
            label.setVisible(bool(text))
            return
        layout, row = found
        # An error row sits just below its field's row and is hidden along with it.
        field_visible = layout.isRowVisible(row - 1) if row > 0 else True
        layout.setRowVisible(row, bool(text) and field_visible)

    # -- values ------------------------------------------------------------------------------
    def data(self) -> dict[str, Any]:
        return {name: bound.get() for name, bound in self.fields.items()}

    def set_data(self, data: Mapping[str, Any]) -> None:
        was_loading, self._loading = self._loading, True
        try:
            for name, value in data.items():
                if name in self.fields:
                    self.fields[name].set(value)
        finally:
            self._loading = was_loading

    def snapshot(self) -> dict[str, Any]:
        return json.loads(
            _json_key({"data": self.data(), "owner": self.owner() if self.record is None else None, "extra": self.extra_state()})
        )

    def is_dirty(self) -> bool:
        return not self.read_only and _json_key(self.snapshot()) != _json_key(self._baseline)

    def mark_saved_part(self, key: str, value: Any) -> None:
        """Something was written outside 保存 (e.g. a matching's stage): it is no longer a change."""
        self._baseline["data"][key] = json.loads(_json_key(value))

    # -- change, validation, drafts ----------------------------------------------------------
    def on_change(self, name: str) -> None:
        if self._loading:
            return
        self._touched.add(name)
        self._validate_timer.start()
        if not self.read_only:
            self._draft_timer.start()

    def validate_now(self) -> dict[str, str]:
        self._validate_timer.stop()
        errors: dict[str, str] = {}
        try:
            records.clean(self.ctx, self.entity, self.data())
        except ValidationError as exc:
            errors.update(exc.errors)
        for name in list(errors):
            missing = self._missing_message(name)
            if missing is not None:
                errors[name] = missing
        for name, bound in self.fields.items():
            local = bound.local_error()
            if local:
                errors[name] = local
        errors.update(self.extra_errors())
        self.errors = errors
        self._display_errors()
        self._show_closed_year()
        return errors

    # -- 変更履歴 -----------------------------------------------------------------------------
    def _setup_history(self) -> None:
        """A stored record's dialog has a 変更履歴 tab (who changed it, when, what, from which
        package); a form without tabs gets them, the form becoming the first tab."""
        if self.record is None:
            return
        tabs = self.form.findChild(QTabWidget, "tabs")
        layout = self.form.layout()
        if tabs is None and isinstance(layout, QBoxLayout):
            tabs = self.history_tabs = wrap_in_tabs(layout, self.message_label, self.tr("基本情報"))
        if tabs is None:
            return
        self.history = RecordHistoryView(self.ctx, self.entity, self.record.id)
        add_history_tab(tabs, self.history, self.tr("変更履歴"))

    # -- closed fiscal years (年度確定) -------------------------------------------------------
    def _setup_closed_year(self) -> None:
        """A line above the messages for a record that counts in a closed fiscal year."""
        self.closed_year_label = QLabel()
        self.closed_year_label.setObjectName("closedYearLabel")
        self.closed_year_label.setWordWrap(True)
        self.closed_year_label.setStyleSheet(f"color: {palette.CAUTION}; font-weight: bold;")
        self.closed_year_label.hide()
        self._closed_years = set() if self.read_only else set(closing.closed_years(self.ctx))
        for layout in self.findChildren(QBoxLayout):
            position = layout.indexOf(self.message_label)
            if position >= 0:
                layout.insertWidget(position, self.closed_year_label)
                break

    def closed_year(self) -> int | None:
        """The closed fiscal year the record counts in, as entered or as stored (None: open)."""
        if not getattr(self, "_closed_years", None):
            return None
        year = closing.closed_year_of(self.ctx, self.entity, self.data(), self._closed_years)
        if year is None and self.record is not None:
            year = closing.closed_year_of(self.ctx, self.entity, self.record.data, self._closed_years)
        return year

    def _show_closed_year(self) -> None:
        label = getattr(self, "closed_year_label", None)
        if label is None:
            return
        year = self.closed_year()
        label.setText("" if year is None else self.tr(
            "{fiscal_year}は確定済みです。この記録を変えても、確定した数値は変わりません。").format(
                fiscal_year=fmt.fy_short(year)))
        label.setVisible(year is not None)

    def _missing_message(self, name: str) -> str | None:
        """「技術テーマを入力してください。」 for a required field left empty, in the window's language
        (the domain says which fields are required; its own message is Japanese)."""
        spec = next((f for f in FIELDS.get(self.entity, ()) if f.name == name), None)
        if spec is None or not spec.required or name not in self.fields:
            return None
        value = self.fields[name].get()
        if value not in (None, "", [], {}):
            return None
        label = labels.field(self.entity, name)
        if spec.type in ("enum", "lg_code", "uuid", "bool"):
            return self.tr("{field}を選んでください。").format(field=label)
        return self.tr("{field}を入力してください。").format(field=label)

    def _display_errors(self) -> None:
        shown: dict[QLabel, list[str]] = {}
        for label in self.form.findChildren(QLabel):
            if label.objectName().endswith("Error"):
                shown[label] = []
        unplaced: list[str] = []
        for name, message in self.errors.items():
            target = self._error_label(name)
            if target is None:
                unplaced.append(message)
            elif self._show_all_errors or name in self._touched:
                shown[target].append(message)
        for label, messages in shown.items():
            self._show_error_label(label, "\n".join(messages))
        self.save_button.setEnabled(not self.errors and not self.read_only)
        self.save_button.setToolTip(
            self.tr("保存（Ctrl+S）") if not self.errors else self.tr("入力に不足・誤りがあるため保存できません。")
        )
        if self.read_only:
            return
        warned = [labels.field(self.entity, name) for name, edit in self.planned_edits.items() if edit.warning_text()]
        if self.errors:
            names = [labels.field(self.entity, n) for n in self.errors if self._error_label(n) is not None]
            text = self.tr("保存するには次の項目を入力・修正してください: {fields}").format(
                fields=fmt.join(list(dict.fromkeys(names))))
            if unplaced:
                text += "\n" + "\n".join(unplaced)
        elif warned:
            text = self.tr("保存できますが、次の項目を確かめてください: {fields}").format(fields=fmt.join(warned))
        else:
            text = self.tr("入力内容に問題はありません。") if self.is_dirty() else ""
        if self._draft_problem:
            text += ("\n" if text else "") + self._draft_problem
        if self._save_problem:
            text += ("\n" if text else "") + self._save_problem
        self.message_label.setText(text)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Errors from a failed save: every one shown, beside its field."""
        self._show_all_errors = True
        self.errors = {name: self._missing_message(name) or message for name, message in errors.items()}
        self._display_errors()

    def write_draft(self) -> None:
        self._draft_timer.stop()
        if self.read_only:
            return
        if not self.is_dirty():
            drafts.discard_draft(self.ctx, self.draft_key)
            written = True
        else:
            record_id = self.record.id if self.record is not None else None
            data, owner, extra = self.data(), self.owner() if self.record is None else None, self.extra_state()
            if self.started_from is not None:
                extra = {**extra, STARTED_FROM: self.started_from}
            written = ops.perform(
                self,
                lambda: drafts.save_draft(self.ctx, self.draft_key, self.entity, record_id, data, owner=owner, extra=extra),
                failure=self._draft_failed,
            ) is not None
        if written and self._draft_problem is not None:
            self._draft_problem = None
            self._display_errors()

    def _draft_failed(self, error: UserError) -> None:
        # The input is still on the screen: say so beside the other messages, not in a box.
        self._draft_problem = error.message
        self._display_errors()

    def discard_draft(self) -> None:
        self._draft_timer.stop()
        drafts.discard_draft(self.ctx, self.draft_key)

    # -- save and close ----------------------------------------------------------------------
    def save(self) -> None:
        if self.read_only:
            return
        self._show_all_errors = True
        if self.validate_now() or not self._confirm_unreadable_dates():
            return
        data = self.data()
        result = ops.perform(self, lambda: self.write(data), failure=self._save_failed)
        if result is None:
            return
        saved = self.saved_record(result)
        self.record = saved
        self.started_from = saved.hlc
        self.saved = saved
        self._save_problem = None
        self.show_status(self.saved_message(saved))
        self.owner_combo.setEnabled(False)
        complete = self.after_save(result)
        self._baseline = self.snapshot()
        self._baseline["extra"] = json.loads(_json_key(self.written_extra_state()))
        if not complete:
            # The record is stored; what after_save could not write stays in the form (and draft).
            self.update_title()
            self.write_draft()
            return
        self.discard_draft()
        self.accept()

    def _confirm_unreadable_dates(self) -> bool:
        """A planned date whose text could not be read is kept as 未定 only if the person says so."""
        for name, edit in self.planned_edits.items():
            if not edit.unreadable():
                continue
            question = self.tr("{field}「{text}」は日付として読み取れませんでした。日付未定（{fiscal_year}のうち）として保存しますか？").format(
                field=labels.field(self.entity, name), text=edit.text().strip(), fiscal_year=fmt.fy_short(edit.fiscal_year()))
            if not ask(self, self.windowTitle(), question, self.tr("未定として保存"), self.tr("入力に戻る")):
                edit.line_edit.setFocus()
                edit.line_edit.selectAll()
                return False
        return True

    def show_status(self, text: str) -> None:
        """Say ``text`` in the window's status bar (the bus this dialog was given, or its window's)."""
        bus = self.bus if self.bus is not None and shiboken6.isValid(self.bus) else None
        widget = self.parentWidget()
        while bus is None and widget is not None and shiboken6.isValid(widget):
            found = getattr(widget, "bus", None)
            bus = found if isinstance(found, ChangeBus) and shiboken6.isValid(found) else None
            widget = widget.parentWidget()
        if bus is None and ChangeBus.current is not None and shiboken6.isValid(ChangeBus.current):
            bus = ChangeBus.current
        if bus is not None:
            bus.status_message.emit(text)

    def _save_failed(self, error: UserError) -> None:
        """Nothing was saved: a validation error beside its fields, someone else's save first in
        the conflict view, anything else in a box."""
        if isinstance(error, EditConflict):
            self.show_edit_conflict(error)
        elif isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            ops.show_error(self, error)

    # -- someone saved the record first ------------------------------------------------------
    def show_edit_conflict(self, conflict: EditConflict) -> None:
        """Open the conflict view (the colleague's version beside the input) over this dialog;
        what the person chooses there is done when it closes (:meth:`_edit_conflict_chosen`)."""
        from jcim_desktop.ui.dialogs.edit_conflict import EditConflictDialog  # loaded when it happens

        view = EditConflictDialog(self.ctx, conflict, self.record_name(conflict.current), self)
        self.conflict_view = view
        view.finished.connect(lambda _result: self._edit_conflict_chosen(view))
        view.open()

    def _edit_conflict_chosen(self, view: QDialog) -> None:
        from jcim_desktop.ui.dialogs.edit_conflict import KEEP_THEIRS, SAVE_MINE, EditConflictDialog

        assert isinstance(view, EditConflictDialog)
        self.conflict_view = None
        conflict, choice = view.conflict, view.choice
        view.deleteLater()
        self.activateWindow()  # back to the input (the view was over it)
        if choice == KEEP_THEIRS and conflict.current.deleted:
            # Nothing left to edit: the input goes, as the person chose.
            self.discard_draft()
            self.show_status(self.tr("{entity}「{name}」は削除されていたため、入力を破棄しました").format(
                entity=labels.entity(self.entity), name=self.record_name(conflict.current)))
            super().reject()
        elif choice == KEEP_THEIRS:
            self.reload_record(conflict.current)
            self.show_status(self.tr("保存されている内容を読み込みました。入力していた内容は破棄しました"))
        elif choice == SAVE_MINE:
            # A deliberate save over the version now stored (refused again if it changes once more).
            self.started_from = conflict.current.hlc
            self.save()
        else:
            self._save_problem = self.tr("保存していません: ほかの人が先にこの記録を保存しています。"
                                         "「保存」を押すと、もう一度見比べて選べます。")
            self._display_errors()

    def reload_record(self, record: records.Record) -> None:
        """Show ``record`` as stored now in place of the input (which is dropped, draft and all)."""
        self.record = record
        self.started_from = record.hlc
        self.set_data(dict(record.data))
        self.restore_extra(self.written_extra_state())
        self._baseline = self.snapshot()
        self._touched.clear()
        self._save_problem = None
        self.discard_draft()
        self.after_load()
        self.validate_now()
        if self.history is not None:
            self.history.load()

    def reject(self) -> None:
        if self.is_dirty() and not ask(self, self.windowTitle(), self.tr("変更を保存せずに閉じますか？"),
                                       self.tr("保存せずに閉じる"), self.tr("入力に戻る")):
            return
        self.discard_draft()
        super().reject()

    def _make_read_only(self) -> None:
        for bound in self.fields.values():
            for widget in bound.widgets:
                widget.setEnabled(False)
        self.owner_combo.setEnabled(False)
        self.save_button.hide()
        self.cancel_button.setText(self.tr("閉じる"))
        assert self.record is not None
        self.message_label.setText(
            self.tr("この記録は「{org}」が登録したものです。この端末では閲覧のみできます。").format(
                org=labels.org(self.record.owner))
        )
        self.message_label.setVisible(True)

    def add_button(self, text: str) -> QPushButton:
        return self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
