"""公表値の入力 (secretariat): a past fiscal year's published KPI totals, typed in from a report.

The figures become the year's official ones for the KPIs typed (``closing.record_published``,
source ``published``); the other KPIs keep their live figures. Typed text is read by
``closing.published_figures``; a value it cannot read is named, with its KPI, under the fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import closing
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.widgets import boxes

BAD_FIELD = f"QLineEdit {{ border: 1px solid {palette.ERROR}; }}"


class PublishedFiguresDialog(QDialog):
    """年度 selector, one field per KPI (rates in %), an optional note; 保存 records the figures
    through ``ops`` and ``saved`` tells of it."""

    saved = Signal(int)
    """The fiscal year whose published figures were recorded."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, fiscal_year: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("公表値の入力"))
        current = fmt.current_fiscal_year()
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("publishedYear")
        for fy in range(current, current - 11, -1):
            self.year_combo.addItem(fmt.fy_label(fy), fy)
        wanted = fiscal_year if fiscal_year is not None else current - 1
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(wanted)))

        intro = QLabel(self.tr(
            "事業報告などで公表した過去の年度の KPI を入力します。入力した KPI はその年度の公式の数値"
            "（公表値）になり、年度推移・全国集計に表示されます。空欄の KPI は記録から集計した数値のままです。"
        ))
        intro.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(palette.colour(palette.CAUTION))
        self.notice.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("年度"), self.year_combo)
        self.edits: dict[str, QLineEdit] = {}
        for code in KPI_CODES:
            edit = QLineEdit()
            edit.setObjectName(f"published_{code}")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(140)
            rate = KPI_BY_CODE[code].is_rate
            if rate:
                edit.setPlaceholderText(self.tr("例: 62.5"))
            edit.setToolTip(labels.kpi_description(code))
            edit.textEdited.connect(lambda _text, e=edit: e.setStyleSheet(""))
            unit = QLabel("%" if rate else "")
            unit.setMinimumWidth(16)
            self.edits[code] = edit
            form.addRow(labels.kpi_label(code), boxes.row(edit, unit, (QWidget(), 1), spacing=4))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("publishedNote")
        self.note_edit.setPlaceholderText(self.tr("例: 令和5年度 事業報告書より"))
        form.addRow(self.tr("備考（任意）"), self.note_edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("publishedErrors")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(palette.colour(palette.ERROR))
        self.error_label.hide()

        buttons = QDialogButtonBox()
        self.save_button: QPushButton = buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 600)

        self.year_combo.currentIndexChanged.connect(lambda _index: self._load_year())
        self._load_year()

    def fiscal_year(self) -> int:
        return int(self.year_combo.currentData())

    def _load_year(self) -> None:
        """Show what the chosen year already holds: published figures to correct, or a year closed
        from this application's tally (published figures cannot replace those)."""
        existing = closing.closed_tally(self.ctx, self.fiscal_year())
        self._show_errors([])
        for edit in self.edits.values():
            edit.clear()
            edit.setStyleSheet("")
        self.note_edit.clear()
        app_closed = existing is not None and existing.source != "published"
        for widget in (*self.edits.values(), self.note_edit, self.save_button):
            widget.setEnabled(not app_closed)
        if existing is None:
            self.notice.hide()
            return
        if app_closed:
            self.notice.setText(self.tr(
                "この年度はこのアプリの集計で確定しています（{date}、{name}）。公表値を入力するには、"
                "先に全国集計で確定を取り消してください。").format(
                date=fmt.date_label(existing.closed_at[:10]), name=existing.closed_by))
        else:
            for code, entry in existing.kpis.items():
                total = entry.get("total") if isinstance(entry, dict) else None
                if code in self.edits and isinstance(total, (int, float)):
                    rate = KPI_BY_CODE[code].is_rate
                    self.edits[code].setText(f"{total * 100:g}" if rate else f"{total:g}")
            self.note_edit.setText(existing.note or "")
            self.notice.setText(self.tr(
                "この年度の公表値は入力済みです（{date}、{name}）。直す KPI の値を書き換えて保存してください。"
                "欄を空にしても、入力済みの公表値は消えません。").format(
                date=fmt.date_label(existing.closed_at[:10]), name=existing.closed_by))
        self.notice.show()

    def typed(self) -> dict[str, str]:
        """KPI code → the text typed for it (rates as percentages), for the KPIs filled in."""
        pairs: dict[str, str] = {}
        for code, edit in self.edits.items():
            text = edit.text().strip()
            if not text:
                continue
            if KPI_BY_CODE[code].is_rate and not text.endswith(("%", "％")):
                text += "%"
            pairs[code] = text
        return pairs

    def save(self) -> bool:
        """Record the typed figures (through ops); False, with the reason shown, if refused."""
        pairs = self.typed()
        if not pairs:
            self._show_errors([self.tr("公表値を一つ以上入力してください。")])
            return False
        ctx, fy, note = self.ctx, self.fiscal_year(), self.note_edit.text()
        saved = ops.perform(
            self, lambda: closing.record_published(ctx, fy, closing.published_figures(pairs), note),
            failure=self._refused)
        if saved is None:
            return False
        self.saved.emit(fy)
        self.accept()
        return True

    def _refused(self, error: UserError) -> None:
        fields = [code for code in getattr(error, "errors", {}) if code in self.edits]
        if not isinstance(error, ValidationError) or not fields:
            self._show_errors([error.message])
            return
        messages = []
        for code in fields:
            edit = self.edits[code]
            edit.setStyleSheet(BAD_FIELD)
            if KPI_BY_CODE[code].is_rate:
                message = self.tr("{kpi}: 「{text}」を読み取れません。0～100 の数（%）で入力してください。")
            else:
                message = self.tr("{kpi}: 「{text}」を読み取れません。0 以上の数で入力してください。")
            messages.append(message.format(kpi=labels.kpi_label(code), text=edit.text().strip()))
        self.edits[fields[0]].setFocus()
        self._show_errors(messages)

    def _show_errors(self, messages: list[str]) -> None:
        self.error_label.setText("\n".join(messages))
        self.error_label.setVisible(bool(messages))
