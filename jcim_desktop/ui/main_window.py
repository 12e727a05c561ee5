"""The main window: a sidebar of pages, menus and shortcuts, the status bar."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from jcim_desktop import __version__
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import labels, ops, window_state
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.page import Page, page_title
from jcim_desktop.ui.widgets import boxes

SIDEBAR_STYLE = """
QListWidget#sidebar { background: #1f3a5f; color: #e8eef6; border: none; font-size: 14px; outline: 0; }
QListWidget#sidebar::item { padding: 9px 14px; border: none; }
QListWidget#sidebar::item:selected, QListWidget#sidebar::item:selected:!active {
    background: #2f6db5; color: white; border: none; }
QListWidget#sidebar::item:hover:!selected { background: #2a4b78; }
"""


@dataclass(frozen=True)
class PageEntry:
    """A sidebar entry: what the sidebar and menus show, and where the page's code lives.

    The module is imported when the page is first shown, so pages nobody opens (the sync
    pages pull in the whole sync stack) cost nothing at start-up.
    """

    page_id: str
    title: str
    module: str
    class_name: str

    def load(self) -> type[Page]:
        cls = getattr(importlib.import_module(f"jcim_desktop.ui.pages.{self.module}"), self.class_name)
        assert cls.page_id == self.page_id and cls.title == self.title, self
        return cls

    def __call__(self, ctx: AppContext, bus: ChangeBus) -> Page:
        return self.load()(ctx, bus)

    @property
    def display_title(self) -> str:
        """The page's name in the window's language."""
        return page_title(self.title)


PAGES: tuple[PageEntry, ...] = (
    PageEntry("dashboard", QT_TRANSLATE_NOOP("pages", "ダッシュボード"), "dashboard", "DashboardPage"),
    PageEntry("events", QT_TRANSLATE_NOOP("pages", "活動・行事"), "list_page", "EventsPage"),
    PageEntry("pitch_events", QT_TRANSLATE_NOOP("pages", "ピッチイベント"), "list_page", "PitchEventsPage"),
    PageEntry("needs", QT_TRANSLATE_NOOP("pages", "自治体ニーズ"), "list_page", "NeedsPage"),
    PageEntry("seeds", QT_TRANSLATE_NOOP("pages", "シーズ（技術）"), "list_page", "SeedsPage"),
    PageEntry("matchings", QT_TRANSLATE_NOOP("pages", "マッチング"), "matchings", "MatchingsPage"),
    PageEntry("trials", QT_TRANSLATE_NOOP("pages", "実証実験"), "list_page", "TrialsPage"),
    PageEntry("support", QT_TRANSLATE_NOOP("pages", "自治体支援"), "list_page", "SupportPage"),
    PageEntry("trends", QT_TRANSLATE_NOOP("pages", "年度推移"), "trends", "TrendsPage"),
    PageEntry("municipalities", QT_TRANSLATE_NOOP("pages", "自治体マスタ"), "master", "MunicipalityMasterPage"),
    PageEntry("sync", QT_TRANSLATE_NOOP("pages", "同期"), "sync_page", "SyncPage"),
    PageEntry("conflicts", QT_TRANSLATE_NOOP("pages", "競合"), "conflicts_page", "ConflictsPage"),
)
SECRETARIAT_PAGES: tuple[PageEntry, ...] = (
    PageEntry("targets", QT_TRANSLATE_NOOP("pages", "KPI目標"), "targets", "TargetsPage"),
    PageEntry("national_tally", QT_TRANSLATE_NOOP("pages", "全国集計"), "national_tally", "NationalTallyPage"),
    PageEntry("received", QT_TRANSLATE_NOOP("pages", "受信状況"), "received", "ReceivedPage"),
)


def _page_classes(ctx: AppContext) -> list[PageEntry]:
    return [*PAGES, *(SECRETARIAT_PAGES if ctx.is_secretariat else ())]


class _DropFilter(QObject):
    """Accepts .jcimsync files dropped onto the window; the sync page (loaded then) imports them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @staticmethod
    def paths(event: QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls()
                if u.isLocalFile() and u.toLocalFile().lower().endswith(".jcimsync")]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDropEvent):
            if self.paths(event):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = self.paths(event)
            if not paths:
                return False
            event.acceptProposedAction()
            # Leave the drop handler first: the import opens modal dialogs.
            QTimer.singleShot(0, lambda: self.window.import_packages(paths))
            return True
        return False


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.replaced_by: MainWindow | None = None
        self.bus = ChangeBus(self)
        self.setWindowTitle(self.tr("JCIM Desktop — {org}").format(org=labels.org(ctx.org)))
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
            QListWidgetItem(cls.display_title, self.sidebar)
            self.stack.addWidget(QWidget())
        self.sidebar.currentRowChanged.connect(self._show_page)

        central = QWidget()
        boxes.row(self.sidebar, (self.stack, 1), owner=central, spacing=0)
        self.setCentralWidget(central)

        self._build_menus()
        who = QLabel(self.tr("{org}｜{user}").format(org=labels.org(ctx.org), user=ctx.user_name))
        self.statusBar().addPermanentWidget(who)
        self.bus.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for warning in ctx.db.warnings:
            self.statusBar().showMessage(warning)
        self._restore_geometry()
        self.sidebar.setCurrentRow(0)

        self.setAcceptDrops(True)
        self.installEventFilter(_DropFilter(self))

    # Pages ---------------------------------------------------------------------------------
    def page_at(self, row: int) -> Page:
        """The page of sidebar row ``row``, built on first use."""
        page = self._built.get(row)
        if page is None:
            page = self.page_classes[row](self.ctx, self.bus)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._built[row] = page
        return page

    @property
    def pages(self) -> list[Page]:
        return [self.page_at(row) for row in range(len(self.page_classes))]

    def import_packages(self, paths: list[Path]) -> None:
        """Start the sync page's import flow for dropped packages."""
        page = self.show_page("sync")
        page.import_files(paths)  # type: ignore[attr-defined]

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
    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        file_menu.addAction(self._action(self.tr("設定(&S)…"), self.open_settings, "Ctrl+,"))
        self.act_backups = self._action(self.tr("バックアップ(&B)…"), self.open_backups)
        file_menu.addAction(self.act_backups)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("終了(&X)"), self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu(self.tr("編集(&E)"))
        self.act_new = self._action(self.tr("新規作成(&N)"), lambda: self.current_page().new_record(), QKeySequence.StandardKey.New)
        self.act_edit = self._action(self.tr("編集(&E)…"), lambda: self.current_page().edit_selected(), "Ctrl+E")
        self.act_duplicate = self._action(self.tr("複製(&D)"), lambda: self.current_page().duplicate_selected(), "Ctrl+D")
        self.act_delete = self._action(self.tr("削除(&L)"), lambda: self.current_page().delete_selected(), QKeySequence.StandardKey.Delete)
        self.act_undo = self._action(self.tr("削除を元に戻す(&U)"), lambda: self.current_page().undo_delete(), QKeySequence.StandardKey.Undo)
        self.act_search = self._action(self.tr("検索(&F)"), lambda: self.current_page().focus_search(), QKeySequence.StandardKey.Find)
        for action in (self.act_new, self.act_edit, self.act_duplicate, self.act_delete, self.act_undo):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_search)

        view_menu = bar.addMenu(self.tr("表示(&V)"))
        for row, cls in enumerate(self.page_classes):
            key = f"Ctrl+{(row + 1) % 10}" if row < 10 else None
            view_menu.addAction(self._action(cls.display_title, functools.partial(self.sidebar.setCurrentRow, row), key))
        view_menu.addSeparator()
        view_menu.addAction(self._action(self.tr("最新の情報に更新"), self.refresh_all, QKeySequence.StandardKey.Refresh))

        from jcim_desktop.ui.reports_menu import install as install_reports_menu

        self.reports_menu = install_reports_menu(self)
        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(self._action(self.tr("JCIM Desktop について"), self.about))

    def refresh_all(self) -> None:
        """最新の情報に更新: every page reloads (what another program may have written)."""
        ops.announce(self, Changes.everything())

    def _update_actions(self) -> None:
        editable = self.current_page().can_edit()
        for action in (self.act_new, self.act_edit, self.act_duplicate, self.act_delete, self.act_undo):
            action.setEnabled(editable)

    def open_settings(self) -> None:
        from jcim_desktop.ui.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx, self).exec()  # saving announces Changes.of_settings() through ops

    def open_backups(self) -> None:
        """The バックアップ dialog; after a restore the window goes on with the restored data."""
        from jcim_desktop.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.ctx, self)
        dialog.exec()
        if dialog.new_ctx is not None:
            self.continue_on(dialog.new_ctx, self.tr("バックアップから復元したデータを表示しています。"))

    def continue_on(self, ctx: AppContext, message: str = "") -> MainWindow:
        """Replace this window by one on ``ctx`` (after a restore: every page, cache and open
        view starts again from the restored database) and close this one."""
        ops.wait_for_all()
        replacement = MainWindow(ctx)
        replacement.setGeometry(self.geometry())
        if self.isMaximized():
            replacement.showMaximized()
        else:
            replacement.show()
        if message:
            replacement.statusBar().showMessage(message, 15000)
        self.replaced_by = replacement
        self.close()
        self.deleteLater()
        return replacement

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("JCIM Desktop について"),
            self.tr("JCIM Desktop {version}\nインフラメンテナンス国民会議 フォーラム活動・KPI 管理\n\n"
                    "組織: {org}\nデータフォルダ: {folder}").format(
                version=__version__, org=labels.org(self.ctx.org), folder=self.ctx.data_dir),
        )

    # Geometry and closing ------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = window_state.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.set_value("window/geometry", self.saveGeometry())
        ops.wait_for_all()
        super().closeEvent(event)

    # Screenshots ---------------------------------------------------------------------------
    def render_screenshots(self, folder: Path, size: tuple[int, int] = (1280, 800)) -> list[Path]:
        """Render every page (with its data) at ``size`` to ``folder/<page_id>.png``."""
        folder.mkdir(parents=True, exist_ok=True)
        self.resize(*size)
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


