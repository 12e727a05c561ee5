"""The レポート menu: PDF reports, Excel exports and imports, run in the background, opened when done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.fiscal import format_fiscal_year
from jcim_desktop.domain.orgs import ORGS, org_name
from jcim_desktop.ui import labels, ops, palette, window_state
from jcim_desktop.ui.fmt import current_fiscal_year, fiscal_year_choices, fy_label
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.page import page_title

if TYPE_CHECKING:
    from jcim_desktop.ui.main_window import MainWindow

translate = QCoreApplication.translate
LIST_PAGES = ("events", "pitch_events", "needs", "seeds", "matchings", "trials", "support")


def pdf_filter() -> str:
    return translate("ReportsMenu", "PDF（*.pdf）")


def xlsx_filter() -> str:
    return translate("ReportsMenu", "Excel ブック（*.xlsx）")


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    """Where to save a report (``suggested`` is a Japanese file name: reports are Japanese)."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(window_state.last_folder("reports") / suggested),
                                          file_filter)
    if not name:
        return None
    path = Path(name)
    suffix = ".pdf" if file_filter == pdf_filter() else ".xlsx"
    if path.suffix.lower() != suffix:
        path = path.with_suffix(suffix)
    window_state.remember_folder("reports", path)
    return path


def open_url(url: QUrl) -> bool:
    """Hand ``url`` to the desktop (a file to its viewer, a folder to the file manager); False
    when nothing could take it."""
    return bool(QDesktopServices.openUrl(url))


def open_file(path: Path, parent: QWidget | None = None) -> None:
    """Open a written file in its viewer; when none opens it, say where it is (with 「フォルダを開く」)."""
    if open_url(QUrl.fromLocalFile(str(path))):
        return
    dialog = NotOpenedDialog(path, parent or QApplication.activeWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


class NotOpenedDialog(QDialog):
    """A file written but not opened (no viewer took it): its path, to select and copy, and a
    button that opens its folder."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(self.tr("ファイルを開けませんでした"))
        self.setMinimumWidth(480)
        self.message = QLabel(self.tr("{name} を保存しましたが、このパソコンでは自動で開けませんでした。"
                                      "次の場所にあります。").format(name=path.name))
        self.message.setWordWrap(True)
        self.path_label = QLabel(str(path))
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.path_label.setStyleSheet("font-family: monospace; padding: 4px; background: #f4f6f9;")
        self.folder_problem = QLabel()
        self.folder_problem.setWordWrap(True)
        self.folder_problem.setStyleSheet(palette.colour(palette.CAUTION))
        self.folder_problem.hide()
        buttons = QDialogButtonBox()
        self.folder_button = buttons.addButton(self.tr("フォルダを開く"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.RejectRole)
        self.folder_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        self.folder_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.path_label)
        layout.addWidget(self.folder_problem)
        layout.addWidget(buttons)

    def open_folder(self) -> bool:
        """Open the file's folder; if that fails too, the path stays shown with what to do."""
        if open_url(QUrl.fromLocalFile(str(self.path.parent))):
            self.accept()
            return True
        self.folder_problem.setText(self.tr("フォルダも開けませんでした。上の場所をファイルマネージャーで開いてください"
                                            "（場所の文字は選んでコピーできます）。"))
        self.folder_problem.show()
        return False


@dataclass(frozen=True)
class YearlyOutput:
    """A file of one fiscal year the menu writes: what its dialogs say (marked for context
    ``ReportsMenu``, translated when shown) and the suggested file name."""

    title: str
    """The name of the output, the title of the question for the year."""
    save_title: str
    busy: str
    file_name: str
    """Japanese, as the reports are: ``{fy}`` is the fiscal year, ``{org}`` the organisation, ``{date}`` today."""


KPI_PDF = YearlyOutput(QT_TRANSLATE_NOOP("ReportsMenu", "KPI 実績報告"), QT_TRANSLATE_NOOP("ReportsMenu", "KPI 実績報告の保存先"),
                       QT_TRANSLATE_NOOP("ReportsMenu", "KPI 実績報告を作っています…"), "KPI実績報告_{fy}.pdf")
KPI_XLSX = YearlyOutput(QT_TRANSLATE_NOOP("ReportsMenu", "KPI 集計表"), QT_TRANSLATE_NOOP("ReportsMenu", "KPI 集計表の保存先"),
                        QT_TRANSLATE_NOOP("ReportsMenu", "KPI 集計表を作っています…"), "KPI集計表_{fy}.xlsx")
PLAN_PDF = YearlyOutput(QT_TRANSLATE_NOOP("ReportsMenu", "活動計画・実績"),
                        QT_TRANSLATE_NOOP("ReportsMenu", "活動計画・実績の保存先"),
                        QT_TRANSLATE_NOOP("ReportsMenu", "活動計画・実績を作っています…"), "活動計画実績_{org}_{fy}.pdf")
MATCHING_PDF = YearlyOutput(QT_TRANSLATE_NOOP("ReportsMenu", "マッチング情報シート"),
                            QT_TRANSLATE_NOOP("ReportsMenu", "マッチング情報シートの保存先"),
                            QT_TRANSLATE_NOOP("ReportsMenu", "マッチング情報シートを作っています…"),
                            "マッチング情報シート_{fy}.pdf")
MAP_PDF = YearlyOutput(QT_TRANSLATE_NOOP("ReportsMenu", "参画率マップ"), QT_TRANSLATE_NOOP("ReportsMenu", "参画率マップの保存先"),
                       QT_TRANSLATE_NOOP("ReportsMenu", "参画率マップを作っています…"), "参画率マップ_{date}.pdf")


class KpiReportDialog(QDialog):
    """The KPI report's questions: which fiscal year, and whether to append the lists of the
    records behind the figures."""

    def __init__(self, parent: QWidget | None = None, fiscal_year: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("KPI 実績報告"))
        self.year = QComboBox()
        for fy in fiscal_year_choices():
            self.year.addItem(fy_label(fy), fy)
        self.year.setCurrentIndex(max(self.year.findData(fiscal_year or current_fiscal_year()), 0))
        self.with_records = QCheckBox(self.tr("もとになった記録の一覧を付ける"))
        note = QLabel(self.tr("KPIごとに、数のもとになった記録（活動・行事、自治体ニーズ、市区町村など）の一覧を"
                              "付録として付けます。記録が多いとページ数が増えます。"))
        note.setWordWrap(True)
        note.setObjectName("muted")
        form = QFormLayout()
        form.addRow(self.tr("年度"), self.year)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存先を選ぶ…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.with_records)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def fiscal_year(self) -> int:
        return int(self.year.currentData())


class ReportsMenu:
    """Builds the menu on the main window and runs its actions."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.open_results = True
        menu: QMenu = window.menuBar().addMenu(translate("ReportsMenu", "レポート(&R)"))

        def add(text: str, slot: Callable[[], object]) -> None:
            menu.addAction(text, slot)

        add(translate("ReportsMenu", "KPI 実績報告（PDF）(&K)…"), self.kpi_pdf)
        add(translate("ReportsMenu", "KPI 集計表（Excel）(&X)…"), self.kpi_xlsx)
        add(translate("ReportsMenu", "活動計画・実績（PDF）(&P)…"), self.plan_pdf)
        add(translate("ReportsMenu", "マッチング情報シート（PDF）(&M)…"), self.matching_pdf)
        add(translate("ReportsMenu", "参画率・行政会員マップ（PDF）(&A)…"), self.map_pdf)
        menu.addSeparator()
        add(translate("ReportsMenu", "表示中の一覧を Excel に書き出す(&L)…"), self.list_xlsx)
        menu.addSeparator()
        add(translate("ReportsMenu", "ニーズ調査票のテンプレートを書き出す(&N)…"), lambda: self.template("needs"))
        add(translate("ReportsMenu", "ニーズ調査票を取り込む(&I)…"), lambda: self.import_sheet("needs"))
        add(translate("ReportsMenu", "活動計画表のテンプレートを書き出す(&T)…"), lambda: self.template("events"))
        add(translate("ReportsMenu", "活動計画表を取り込む(&E)…"), lambda: self.import_sheet("events"))
        self.menu = menu

    # Helpers -------------------------------------------------------------------------------------
    def ask_year(self, title: str) -> int | None:
        years = fiscal_year_choices()
        choices = [fy_label(fy) for fy in years]
        chosen, ok = QInputDialog.getItem(self.window, title, translate("ReportsMenu", "年度"), choices,
                                          choices.index(fy_label(current_fiscal_year())), False)
        return years[choices.index(chosen)] if ok else None

    def run(self, label: str, work: Callable[[ops.Progress], Path], done: Callable[[Path], None] | None = None) -> None:
        """Write a file in the background; open it when done (reports write no records)."""

        def finished(path: Path) -> None:
            self.window.bus.status_message.emit(translate("ReportsMenu", "書き出しました: {path}").format(path=path))
            if done is not None:
                done(path)
            elif self.open_results:
                open_file(path)  # the window is the parent when it is active

        ops.QueryOp(self.window, work, success=finished).with_progress(label).run_in_background()

    def stamp(self) -> str:
        return dt.date.today().strftime("%Y%m%d")

    def ask_kpi_report(self) -> tuple[int, bool] | None:
        """The KPI report's fiscal year and whether to append the records behind the figures."""
        dialog = KpiReportDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.fiscal_year(), dialog.with_records.isChecked()

    def write_yearly(self, output: YearlyOutput, write: Callable[[int, Path], Path], org: str | None = None,
                     fy: int | None = None) -> None:
        """Ask for the fiscal year (unless given) and where to save ``output``, then ``write(fy, path)``
        in the background."""
        fy = fy or self.ask_year(translate("ReportsMenu", output.title))
        if not fy:
            return
        chosen = fy
        name = output.file_name.format(fy=format_fiscal_year(fy), org=org_name(org or self.ctx.org), date=self.stamp())
        file_filter = pdf_filter() if name.endswith(".pdf") else xlsx_filter()
        path = ask_save_path(self.window, translate("ReportsMenu", output.save_title), name, file_filter)
        if path:
            self.run(translate("ReportsMenu", output.busy), lambda _progress: write(chosen, path))

    # PDF and Excel outputs -----------------------------------------------------------------------
    def kpi_pdf(self) -> None:
        from jcim_desktop.services import reports

        answer = self.ask_kpi_report()
        if answer is None:
            return
        fy, with_records = answer
        self.write_yearly(KPI_PDF, lambda fy, path: reports.kpi_report_pdf(self.ctx, fy, path, with_records=with_records),
                          fy=fy)

    def kpi_xlsx(self) -> None:
        from jcim_desktop.services import excel_export

        self.write_yearly(KPI_XLSX, lambda fy, path: excel_export.export_tally_xlsx(self.ctx, fy, path))

    def plan_pdf(self) -> None:
        from jcim_desktop.services import reports

        org = self.ctx.org
        if self.ctx.is_secretariat:
            codes = list(ORGS)
            names = [labels.org(c) for c in codes]
            chosen, ok = QInputDialog.getItem(self.window, translate("ReportsMenu", "活動計画・実績"),
                                              translate("ReportsMenu", "組織"), names, 0, False)
            if not ok:
                return
            org = codes[names.index(chosen)]
        self.write_yearly(PLAN_PDF, lambda fy, path: reports.plan_report_pdf(self.ctx, org, fy, path), org)

    def matching_pdf(self) -> None:
        from jcim_desktop.services import reports

        self.write_yearly(MATCHING_PDF, lambda fy, path: reports.matching_sheets_pdf(self.ctx, path, fy=fy))

    def map_pdf(self) -> None:
        from jcim_desktop.services import reports

        self.write_yearly(MAP_PDF, lambda fy, path: reports.participation_map_pdf(self.ctx, path, fy))

    def list_xlsx(self) -> None:
        from jcim_desktop.services import excel_export

        page = self.window.current_page()
        if page.page_id not in LIST_PAGES:
            QMessageBox.information(self.window, translate("ReportsMenu", "Excel への書き出し"),
                                    translate("ReportsMenu", "一覧のページ（活動・行事、自治体ニーズ など）を開いてから選んでください。"))
            return
        query = getattr(page, "current_query", lambda: None)()
        contacts = self.ask_contacts(page.page_id, page.title, query) if excel_export.has_contacts(page.page_id) else False
        if contacts is None:
            return
        path = ask_save_path(self.window, translate("ReportsMenu", "Excel の保存先"),
                             f"{page.title}_{self.stamp()}.xlsx", xlsx_filter())
        if path:
            self.run(translate("ReportsMenu", "{page}を書き出しています…").format(page=page_title(page.title)),
                     lambda p: excel_export.export_list_xlsx(self.ctx, page.page_id, path, query=query, progress=p,
                                                             include_contacts=contacts))

    def ask_contacts(self, page_id: str, title: str, query: Any) -> bool | None:
        """A list of needs or seeds: whether to include the contacts (personal data; off by
        default), the dialog saying what the file will then hold. None: cancelled."""
        from jcim_desktop.ui.personal_data import ListExportDialog

        dialog = ListExportDialog(self.ctx, page_id, title, query, self.window)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.include_contacts()
        finally:
            dialog.deleteLater()

    # Excel templates and imports -----------------------------------------------------------------
    def _sheet_title(self, kind: str) -> str:
        return translate("ReportsMenu", "ニーズ調査票") if kind == "needs" else translate("ReportsMenu", "活動計画表")

    def template(self, kind: str) -> None:
        from jcim_desktop.services import excel_import

        japanese = "ニーズ調査票" if kind == "needs" else "活動計画表"  # the file's name: the sheet is Japanese
        path = ask_save_path(self.window, translate("ReportsMenu", "{sheet}テンプレートの保存先").format(sheet=self._sheet_title(kind)),
                             f"{japanese}_{self.ctx.org_name}.xlsx", xlsx_filter())
        if not path:
            return
        label = translate("ReportsMenu", "{sheet}を作っています…").format(sheet=self._sheet_title(kind))
        self.run(label, lambda p: excel_import.write_template(self.ctx, kind, path))

    def import_sheet(self, kind: str) -> None:
        from jcim_desktop.services import excel_import

        title = translate("ReportsMenu", "{sheet}を取り込む").format(sheet=self._sheet_title(kind))
        name, _ = QFileDialog.getOpenFileName(self.window, title, str(window_state.last_folder("reports")), xlsx_filter())
        if not name:
            return
        path = Path(name)
        ops.QueryOp(self.window, lambda p: excel_import.preview_import(self.ctx, kind, path, progress=p),
                    success=lambda check: self.confirm_import(kind, path, check)) \
            .with_progress(translate("ReportsMenu", "{name} を確認しています…").format(name=path.name)) \
            .run_in_background()

    def confirm_import(self, kind: str, path: Path, check: Any) -> None:
        from jcim_desktop.services import excel_import

        good, bad = check.good_count, check.bad_count
        if good == 0 and bad == 0:
            QMessageBox.warning(self.window, translate("ReportsMenu", "取り込み"), check.summary())
            return
        only_good = False
        if bad:
            box = QMessageBox(QMessageBox.Icon.Warning, translate("ReportsMenu", "取り込みの確認"), check.summary(),
                              parent=self.window)
            good_button = box.addButton(translate("ReportsMenu", "正しい {count} 行だけ取り込む").format(count=f"{good:,}"),
                                        QMessageBox.ButtonRole.AcceptRole)
            box.addButton(translate("ReportsMenu", "取り込まない"), QMessageBox.ButtonRole.RejectRole)
            if not good:
                good_button.setEnabled(False)
            box.exec()
            if box.clickedButton() is not good_button:
                return
            only_good = True
        else:
            question = translate("ReportsMenu", "{count} 行を取り込みます。よろしいですか？").format(count=f"{good:,}")
            if check.trial_rows or check.notes:
                # Which rows become field trials, and titles that read as one: before, not after.
                question = f"{check.summary()}\n\n{question}"
            if QMessageBox.question(self.window, translate("ReportsMenu", "取り込みの確認"), question) \
                    != QMessageBox.StandardButton.Yes:
                return

        def imported(report: excel_import.ImportReport) -> None:
            QMessageBox.information(self.window, translate("ReportsMenu", "取り込み"), report.summary())

        ops.CollectionOp(self.window,
                         lambda p: excel_import.import_workbook(self.ctx, kind, path, only_good_rows=only_good, progress=p)) \
            .success(imported) \
            .with_progress(translate("ReportsMenu", "{name} を取り込んでいます…").format(name=path.name)) \
            .run_in_background()


def install(window: MainWindow) -> ReportsMenu:
    return ReportsMenu(window)
