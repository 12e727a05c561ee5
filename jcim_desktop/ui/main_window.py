"""The main window: a sidebar of pages, menus and shortcuts, the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from jcim_desktop import __version__
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import Page

SIDEBAR_STYLE = """
QListWidget#sidebar { background: #1f3a5f; color: #e8eef6; border: none; font-size: 14px; outline: 0; }
QListWidget#sidebar::item { padding: 9px 14px; border: none; }
QListWidget#sidebar::item:selected, QListWidget#sidebar::item:selected:!active {
    background: #2f6db5; color: white; border: none; }
QListWidget#sidebar::item:hover:!selected { background: #2a4b78; }
"""


def _page_classes(ctx: AppContext) -> list[type[Page]]:
    from jcim_desktop.ui.pages.dashboard import DashboardPage
    from jcim_desktop.ui.pages.list_page import (
        EventsPage,
        NeedsPage,
        PitchEventsPage,
        SeedsPage,
        SupportPage,
        TrialsPage,
    )
    from jcim_desktop.ui.pages.conflicts_page import ConflictsPage
    from jcim_desktop.ui.pages.master import MunicipalityMasterPage
    from jcim_desktop.ui.pages.matchings import MatchingsPage
    from jcim_desktop.ui.pages.sync_page import SyncPage

    classes: list[type[Page]] = [
        DashboardPage,
        EventsPage,
        PitchEventsPage,
        NeedsPage,
        SeedsPage,
        MatchingsPage,
        TrialsPage,
        SupportPage,
        MunicipalityMasterPage,
        SyncPage,
        ConflictsPage,
    ]
    if ctx.is_secretariat:
        from jcim_desktop.ui.pages.national_tally import NationalTallyPage
        from jcim_desktop.ui.pages.targets import TargetsPage

        classes.extend([TargetsPage, NationalTallyPage])
    return classes


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.bus = ChangeBus(self)
        self.setWindowTitle(f"JCIM Desktop — {ctx.org_name}")
        self.setMinimumSize(QSize(1024, 680))

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(190)
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        self.stack = QStackedWidget()
        # Pages are built the first time they are shown: the window paints sooner, and a page
        # nobody opens costs nothing.
        self.page_classes = _page_classes(ctx)
        self._built: dict[int, Page] = {}
        for cls in self.page_classes:
            QListWidgetItem(cls.title, self.sidebar)
            self.stack.addWidget(QWidget())
        self.sidebar.currentRowChanged.connect(self._show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        who = QLabel(f"{ctx.org_name}｜{ctx.user_name}")
        self.statusBar().addPermanentWidget(who)
        self.bus.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for warning in ctx.db.warnings:
            self.statusBar().showMessage(warning)
        self._restore_geometry()
        self.sidebar.setCurrentRow(0)
        from jcim_desktop.ui.pages.sync_page import install_drop_import

        install_drop_import(self)

    # Pages ---------------------------------------------------------------------------------
    def page_at(self, row: int) -> Page:
        """The page of sidebar row ``row``, built on first use."""
        page = self._built.get(row)
        if page is None:
            page = self.page_classes[row](self.ctx, self.bus)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[row] = page
        return page

    @property
    def pages(self) -> list[Page]:
        return [self.page_at(row) for row in range(len(self.page_classes))]

    def current_page(self) -> Page:
        return self.page_at(max(self.sidebar.currentRow(), 0))

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        page = self.page_at(row)
        self.stack.setCurrentIndex(row)
        page.activate()
        self._update_actions()

    def show_page(self, page_id: str) -> Page:
        for row, cls in enumerate(self.page_classes):
            if cls.page_id == page_id:
                self.sidebar.setCurrentRow(row)
                return self.page_at(row)
        raise KeyError(page_id)

    # Menus ---------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("ファイル(&F)")
        file_menu.addAction(self._action("設定(&S)…", self.open_settings, "Ctrl+,"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("終了(&X)", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("編集(&E)")
        self.act_new = self._action("新規作成(&N)", lambda: self.current_page().new_record(), QKeySequence.StandardKey.New)
        self.act_edit = self._action("編集(&E)…", lambda: self.current_page().edit_selected(), "Ctrl+E")
        self.act_duplicate = self._action("複製(&D)", lambda: self.current_page().duplicate_selected(), "Ctrl+D")
        self.act_delete = self._action("削除(&L)", lambda: self.current_page().delete_selected(), QKeySequence.StandardKey.Delete)
        self.act_undo = self._action("削除を元に戻す(&U)", lambda: self.current_page().undo_delete(), QKeySequence.StandardKey.Undo)
        self.act_search = self._action("検索(&F)", lambda: self.current_page().focus_search(), QKeySequence.StandardKey.Find)
        for action in (self.act_new, self.act_edit, self.act_duplicate, self.act_delete, self.act_undo):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_search)

        view_menu = bar.addMenu("表示(&V)")
        for row, cls in enumerate(self.page_classes):
            key = f"Ctrl+{(row + 1) % 10}" if row < 10 else None
            view_menu.addAction(self._action(cls.title, lambda _=False, r=row: self.sidebar.setCurrentRow(r), key))
        view_menu.addSeparator()
        view_menu.addAction(self._action("最新の情報に更新", lambda: self.bus.records_changed.emit("*"), QKeySequence.StandardKey.Refresh))

        help_menu = bar.addMenu("ヘルプ(&H)")
        help_menu.addAction(self._action("JCIM Desktop について", self.about))

    def _update_actions(self) -> None:
        editable = self.current_page().can_edit()
        for action in (self.act_new, self.act_edit, self.act_duplicate, self.act_delete, self.act_undo):
            action.setEnabled(editable)

    def open_settings(self) -> None:
        from jcim_desktop.ui.settings_dialog import SettingsDialog

        if SettingsDialog(self.ctx, self).exec():
            self.bus.records_changed.emit("*")

    def about(self) -> None:
        QMessageBox.about(
            self,
            "JCIM Desktop について",
            f"JCIM Desktop {__version__}\nインフラメンテナンス国民会議 フォーラム活動・KPI 管理\n\n"
            f"組織: {self.ctx.org_name}\nデータフォルダ: {self.ctx.data_dir}",
        )

    # Geometry and closing ------------------------------------------------------------------
    def _qsettings(self) -> QSettings:
        return QSettings("JCIM", "JCIM Desktop")

    def _restore_geometry(self) -> None:
        geometry = self._qsettings().value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._qsettings().setValue("window/geometry", self.saveGeometry())
        ops.wait_for_all()
        super().closeEvent(event)

    # Screenshots ---------------------------------------------------------------------------
    def render_screenshots(self, folder: Path) -> list[Path]:
        """Render every page (with its data) to ``folder/<page_id>.png``."""
        folder.mkdir(parents=True, exist_ok=True)
        self.resize(1280, 800)
        self.show()
        written: list[Path] = []
        app = QApplication.instance()
        assert app is not None
        for row in range(len(self.page_classes)):
            self.sidebar.setCurrentRow(row)
            page = self.page_at(row)
            # Let background loads finish, their results arrive, and the layouts settle.
            for _ in range(4):
                ops.wait_for_all()
                app.processEvents()
                app.sendPostedEvents()
            page.repaint()
            target = folder / f"{page.page_id}.png"
            if not self.grab().save(str(target)):
                raise OSError(f"{target} に保存できませんでした。")
            written.append(target)
        return written


def current_window() -> MainWindow | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            return widget
    return None


