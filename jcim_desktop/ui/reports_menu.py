"""The レポート menu: PDF reports, Excel exports and imports, run in the background, opened when done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from jcim_desktop.domain.fiscal import format_fiscal_year
from jcim_desktop.domain.orgs import ORGS, org_name

from jcim_desktop.ui.fmt import current_fiscal_year, fiscal_year_choices, fy_label
from jcim_desktop.ui.ops import Operation

if TYPE_CHECKING:
    from jcim_desktop.ui.main_window import MainWindow

PDF_FILTER = "PDF（*.pdf）"
XLSX_FILTER = "Excel ブック（*.xlsx）"
LIST_PAGES = ("events", "pitch_events", "needs", "seeds", "matchings", "trials", "support")


def _folder() -> Path:
    saved = QSettings("JCIM", "JCIM Desktop").value("reports/last_dir")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(_folder() / suggested), file_filter)
    if not name:
        return None
    path = Path(name)
    suffix = ".pdf" if file_filter == PDF_FILTER else ".xlsx"
    if path.suffix.lower() != suffix:
        path = path.with_suffix(suffix)
    QSettings("JCIM", "JCIM Desktop").setValue("reports/last_dir", str(path.parent))
    return path


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportsMenu:
    """Builds the menu on the main window and runs its actions."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        self.ctx = window.ctx
        self.open_results = True
        menu: QMenu = window.menuBar().addMenu("レポート(&R)")
        add = lambda text, slot: menu.addAction(text, slot)  # noqa: E731
        add("KPI 実績報告（PDF）…", self.kpi_pdf)
        add("KPI 集計表（Excel）…", self.kpi_xlsx)
        add("活動計画・実績（PDF）…", self.plan_pdf)
        add("マッチング情報シート（PDF）…", self.matching_pdf)
        add("市区町村長会議 参画率マップ（PDF）…", self.map_pdf)
        menu.addSeparator()
        add("表示中の一覧を Excel に書き出す…", self.list_xlsx)
        menu.addSeparator()
        add("ニーズ調査票のテンプレートを書き出す…", lambda: self.template("needs"))
        add("ニーズ調査票を取り込む…", lambda: self.import_sheet("needs"))
        add("活動計画表のテンプレートを書き出す…", lambda: self.template("events"))
        add("活動計画表を取り込む…", lambda: self.import_sheet("events"))
        self.menu = menu

    # Helpers -------------------------------------------------------------------------------------
    def ask_year(self, title: str) -> int | None:
        years = fiscal_year_choices()
        labels = [fy_label(fy) for fy in years]
        chosen, ok = QInputDialog.getItem(self.window, title, "年度", labels, labels.index(fy_label(current_fiscal_year())),
                                          False)
        return years[labels.index(chosen)] if ok else None

    def run(self, label: str, work: Callable[[Any], Path], done: Callable[[Path], None] | None = None) -> Operation:
        def finished(path: Path) -> None:
            self.window.bus.status_message.emit(f"書き出しました: {path}")
            if done is not None:
                done(path)
            elif self.open_results:
                open_file(path)

        return Operation(self.window, work, label=label).success(finished).run()

    def stamp(self) -> str:
        return dt.date.today().strftime("%Y%m%d")

    # PDF and Excel outputs -----------------------------------------------------------------------
    def kpi_pdf(self) -> None:
        from jcim_desktop.services import reports

        fy = self.ask_year("KPI 実績報告")
        path = fy and ask_save_path(self.window, "KPI 実績報告の保存先", f"KPI実績報告_{format_fiscal_year(fy)}.pdf", PDF_FILTER)
        if fy and path:
            self.run("KPI 実績報告を作っています…", lambda p: reports.kpi_report_pdf(self.ctx, fy, path))

    def kpi_xlsx(self) -> None:
        from jcim_desktop.services import excel_export

        fy = self.ask_year("KPI 集計表")
        path = fy and ask_save_path(self.window, "KPI 集計表の保存先", f"KPI集計表_{format_fiscal_year(fy)}.xlsx", XLSX_FILTER)
        if fy and path:
            self.run("KPI 集計表を作っています…", lambda p: excel_export.export_tally_xlsx(self.ctx, fy, path))

    def plan_pdf(self) -> None:
        from jcim_desktop.services import reports

        org = self.ctx.org
        if self.ctx.is_secretariat:
            codes = list(ORGS)
            names = [org_name(c) for c in codes]
            chosen, ok = QInputDialog.getItem(self.window, "活動計画・実績", "組織", names, 0, False)
            if not ok:
                return
            org = codes[names.index(chosen)]
        fy = self.ask_year("活動計画・実績")
        path = fy and ask_save_path(self.window, "活動計画・実績の保存先",
                                    f"活動計画実績_{org_name(org)}_{format_fiscal_year(fy)}.pdf", PDF_FILTER)
        if fy and path:
            self.run("活動計画・実績を作っています…", lambda p: reports.plan_report_pdf(self.ctx, org, fy, path))

    def matching_pdf(self) -> None:
        from jcim_desktop.services import reports

        fy = self.ask_year("マッチング情報シート")
        path = fy and ask_save_path(self.window, "マッチング情報シートの保存先",
                                    f"マッチング情報シート_{format_fiscal_year(fy)}.pdf", PDF_FILTER)
        if fy and path:
            self.run("マッチング情報シートを作っています…", lambda p: reports.matching_sheets_pdf(self.ctx, path, fy=fy))

    def map_pdf(self) -> None:
        from jcim_desktop.services import reports

        fy = self.ask_year("参画率マップ")
        path = fy and ask_save_path(self.window, "参画率マップの保存先", f"参画率マップ_{self.stamp()}.pdf", PDF_FILTER)
        if fy and path:
            self.run("参画率マップを作っています…", lambda p: reports.participation_map_pdf(self.ctx, path, fy))

    def list_xlsx(self) -> None:
        from jcim_desktop.services import excel_export

        page = self.window.current_page()
        if page.page_id not in LIST_PAGES:
            QMessageBox.information(self.window, "Excel への書き出し",
                                    "一覧のページ（活動・行事、自治体ニーズ など）を開いてから選んでください。")
            return
        query = getattr(page, "current_query", lambda: None)()
        path = ask_save_path(self.window, "Excel の保存先", f"{page.title}_{self.stamp()}.xlsx", XLSX_FILTER)
        if path:
            self.run(f"{page.title}を書き出しています…",
                     lambda p: excel_export.export_list_xlsx(self.ctx, page.page_id, path, query=query, progress=p))

    # Excel templates and imports -----------------------------------------------------------------
    def template(self, kind: str) -> None:
        from jcim_desktop.services import excel_import

        title = "ニーズ調査票" if kind == "needs" else "活動計画表"
        path = ask_save_path(self.window, f"{title}テンプレートの保存先", f"{title}_{self.ctx.org_name}.xlsx", XLSX_FILTER)
        if not path:
            return
        if kind == "needs":
            self.run(f"{title}を作っています…",
                     lambda p: excel_import.write_needs_template(self.ctx, path, survey_name=""))
        else:
            fy = current_fiscal_year()
            self.run(f"{title}を作っています…",
                     lambda p: excel_import.write_events_template(self.ctx, path, fiscal_year=fy))

    def import_sheet(self, kind: str) -> None:
        from jcim_desktop.services import excel_import

        title = "ニーズ調査票" if kind == "needs" else "活動計画表"
        name, _ = QFileDialog.getOpenFileName(self.window, f"{title}を取り込む", str(_folder()), XLSX_FILTER)
        if not name:
            return
        path = Path(name)
        preview = excel_import.preview_needs_import if kind == "needs" else excel_import.preview_events_import

        def checked(check: Any) -> None:
            self.confirm_import(kind, path, check)

        Operation(self.window, lambda p: preview(self.ctx, path, progress=p), label=f"{path.name} を確認しています…") \
            .success(checked).run()

    def confirm_import(self, kind: str, path: Path, check: Any) -> None:
        from jcim_desktop.services import excel_import

        entity = "needs" if kind == "needs" else "events"
        do_import = excel_import.import_needs if kind == "needs" else excel_import.import_events
        good, bad = check.good_count, check.bad_count
        if good == 0 and bad == 0:
            QMessageBox.warning(self.window, "取り込み", check.summary())
            return
        only_good = False
        if bad:
            box = QMessageBox(QMessageBox.Icon.Warning, "取り込みの確認", check.summary(), parent=self.window)
            good_button = box.addButton(f"正しい {good:,} 行だけ取り込む", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("取り込まない", QMessageBox.ButtonRole.RejectRole)
            if not good:
                good_button.setEnabled(False)
            box.exec()
            if box.clickedButton() is not good_button:
                return
            only_good = True
        elif QMessageBox.question(self.window, "取り込みの確認", f"{good:,} 行を取り込みます。よろしいですか？") \
                != QMessageBox.StandardButton.Yes:
            return

        def imported(report: Any) -> None:
            self.window.bus.records_changed.emit(entity)
            QMessageBox.information(self.window, "取り込み", report.summary())

        Operation(self.window, lambda p: do_import(self.ctx, path, only_good_rows=only_good, progress=p),
                  label=f"{path.name} を取り込んでいます…").success(imported).run()


def install(window: "MainWindow") -> ReportsMenu:
    return ReportsMenu(window)


