"""The main window: a sidebar of pages, menus and shortcuts, the status bar."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
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
from jcim_desktop.errors import UserError
from jcim_desktop.services import settings as settings_service
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import labels, language, ops, window_state
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.page import FiscalYearPage, Page, page_title
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
    PageEntry("audit", QT_TRANSLATE_NOOP("pages", "変更履歴"), "audit_page", "AuditPage"),
)
SECRETARIAT_PAGES: tuple[PageEntry, ...] = (
    PageEntry("targets", QT_TRANSLATE_NOOP("pages", "KPI目標"), "targets", "TargetsPage"),
    PageEntry("national_tally", QT_TRANSLATE_NOOP("pages", "全国集計"), "national_tally", "NationalTallyPage"),
    PageEntry("received", QT_TRANSLATE_NOOP("pages", "受信状況"), "received", "ReceivedPage"),
)


READ_AHEAD_MODULES = ("list_page", "matchings")
"""The pages built and read ahead after the start (their ``prepare``): a first click shows them at once."""


def _page_classes(ctx: AppContext) -> list[PageEntry]:
    return [*PAGES, *(SECRETARIAT_PAGES if ctx.is_secretariat else ())]


class _DropFilter(QObject):
    """Accepts .jcimsync (and encrypted .jcimsync.age) files dropped onto the window; the sync page
    (loaded then) imports them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @staticmethod
    def paths(event: QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls()
                if u.isLocalFile() and u.toLocalFile().lower().endswith((".jcimsync", ".jcimsync.age"))]

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


START_FALLBACK_MS = 3000
"""If the first page has not shown its data by then (a read that failed), what was put off
until it has runs anyway."""
WHO_LABEL_TEXT_WIDTH = 240
"""Pixels the status bar gives the organisation and the person's name."""
SHARED_LABEL_TEXT_WIDTH = 340
"""Pixels the status bar gives the name of a shared database (longer names are cut in the middle)."""
PREPARE_PAUSE_MS = 50
"""Between two list pages prepared after the start: the window answers a person in between."""


class _AfterNextFrame(QObject):
    """Calls ``then`` once ``window`` has painted its next frame (showing what has just changed)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.then = window, then
        app = QApplication.instance()
        assert app is not None
        self.app: QCoreApplication = app
        self.app.installEventFilter(self)  # a frame paints each widget it covers: any of them

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.window() is self.window:
            self.app.removeEventFilter(self)
            QTimer.singleShot(0, self, self._done)  # once the whole frame is painted
        return False

    def _done(self) -> None:
        self.then()
        self.cancel()

    def cancel(self) -> None:
        """Stop watching (the frame no longer matters)."""
        self.app.removeEventFilter(self)
        self.deleteLater()


class MainWindow(QMainWindow):
    started = Signal()
    """The first page (the dashboard) shows its data: the start is over. What the first paint and
    the dashboard's figures do not need (counting conflicts, preparing the list pages) follows."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.is_started = False
        """Whether the first page has shown its data (``started`` was emitted)."""
        self._frame_watch: _AfterNextFrame | None = None
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
        # The first page (the dashboard) first: its data is read while the rest is built.
        first = self.page_at(0)
        first.activate()

        central = QWidget()
        boxes.row(self.sidebar, (self.stack, 1), owner=central, spacing=0)
        self.setCentralWidget(central)

        self._build_menus()
        self.open_conflicts: int | None = None
        """How many conflicts are open (None until first counted); the sidebar's 競合 entry shows it."""
        self._conflict_counts = 0
        self.bus.changed.connect(self._changed)
        # Beside the messages, cut where too long (whole in the tooltip): the messages keep their
        # room at the smallest window.
        self._status_label("whoLabel", self.tr("{org}｜{user}").format(org=labels.org(ctx.org), user=ctx.user_name),
                           WHO_LABEL_TEXT_WIDTH, Qt.TextElideMode.ElideRight)
        if ctx.db.shared:
            # Where the data are when they are not this computer's: a server several people write to.
            # A long server name or socket folder is cut in the middle.
            location = settings_service.database_location(ctx.db.url)
            shared = self._status_label("sharedDatabase", self.tr("共有データベース: {location}").format(location=location),
                                        SHARED_LABEL_TEXT_WIDTH, Qt.TextElideMode.ElideMiddle, margin=12)
            shared.setToolTip(ctx.db.location)
            # Colleagues' saves reach the open pages and the status bar (polling from `started` on).
            from jcim_desktop.ui import shared_watch

            shared_watch.install(self)
        self.bus.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for warning in ctx.db.warnings:
            self.statusBar().showMessage(warning)
        self._restore_geometry()
        self.sidebar.setCurrentRow(0)
        if isinstance(first, FiscalYearPage):
            first.loaded.connect(self._first_data_shown)
        QTimer.singleShot(START_FALLBACK_MS, self, self._finish_start)

        self.setAcceptDrops(True)
        self.installEventFilter(_DropFilter(self))

    # Starting ------------------------------------------------------------------------------
    def _first_data_shown(self) -> None:
        if self.is_started or self._frame_watch is not None:
            return
        if self.isVisible():
            self._frame_watch = _AfterNextFrame(self, self._finish_start)
        else:
            self._finish_start()

    def _finish_start(self) -> None:
        """The first page's data is on the screen: now what was put off so as not to delay it.
        (Work runs on one worker thread, and competes for the interpreter with painting: a
        conflict count queued at once would have come before the dashboard's figures.)"""
        if self.is_started:
            return
        self.is_started = True
        if self._frame_watch is not None:  # the fallback came first (a window never painted)
            self._frame_watch.cancel()
            self._frame_watch = None
        self.started.emit()
        if self.isVisible():  # closed meanwhile, or never shown (a test): nothing was put off
            self._count_conflicts()
            self._prepare_pages()
            self.run_daily_maintenance()

    def run_daily_maintenance(self) -> None:
        """After the first paint, off the GUI thread: once a day the whole-file check and the daily
        backup (their cost grows with the database, so the window does not wait for them), and at
        every start, keys kept in files moved into the OS credential store if one has appeared."""
        ctx = self.ctx

        def work(_progress: ops.Progress) -> list[str]:
            from jcim_desktop.services.context import daily_maintenance

            return daily_maintenance(ctx, retry_store=True)

        def done(warnings: list[str]) -> None:
            for warning in warnings:
                self.bus.status_message.emit(warning)

        ops.QueryOp(self, work, success=done).failure(self._maintenance_failed).run_in_background()

    def _maintenance_failed(self, error: UserError) -> None:
        """The daily check found damage (or the backup could not be read): say so, and how to go on."""
        good = getattr(error, "good_backup", None)
        lines = [self.tr("データベースの点検で問題が見つかりました。"), error.message]
        if good is not None:
            lines.append(self.tr("「ファイル」→「バックアップ…」で、問題のないバックアップ（{name}）を復元してください。")
                         .format(name=good.path.name))
        else:
            lines.append(self.tr("システム担当者に連絡してください。これ以上の入力は控えてください。"))
        QMessageBox.warning(self, self.tr("データベースの点検"), "\n".join(lines))

    def _prepare_pages(self) -> None:
        """Build the pages that read ahead (the list pages, the matching board) in idle moments,
        one at a time, each preparing its first screen, so that the first click on one shows it
        at once."""
        waiting = [row for row, cls in enumerate(self.page_classes) if cls.module in READ_AHEAD_MODULES]

        def next_page() -> None:
            if not self.isVisible():  # closed: its pages will not be shown
                return
            while waiting:
                row = waiting.pop(0)
                if row not in self._built:
                    prepare = getattr(self.page_at(row), "prepare", None)
                    if prepare is not None:
                        prepare()
                    break
            if waiting:
                QTimer.singleShot(PREPARE_PAUSE_MS, self, next_page)

        QTimer.singleShot(PREPARE_PAUSE_MS, self, next_page)

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
            undo_changed = getattr(page, "undo_changed", None)
            if undo_changed is not None:  # what 削除を取り消す would restore changed
                undo_changed.connect(self._update_actions)
        return page

    @property
    def pages(self) -> list[Page]:
        return [self.page_at(row) for row in range(len(self.page_classes))]

    def import_packages(self, paths: list[Path]) -> None:
        """Start the sync page's import flow for dropped packages."""
        page = self.show_page("sync")
        page.import_files(paths)  # type: ignore[attr-defined]

    def sync_action(self, name: str) -> None:
        """Run one of the 同期 page's actions from the menus (its result shows on that page)."""
        page = self.show_page("sync")
        getattr(page, name)()

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

    def _status_label(self, name: str, text: str, width: int, elide: Qt.TextElideMode, margin: int = 0) -> QLabel:
        """A permanent label of the status bar, at most ``width`` pixels of text (measured in the
        status bar's font; the rest cut with …, the whole text in the tooltip)."""
        label = QLabel()
        label.setObjectName(name)
        label.setContentsMargins(margin, 0, 0, 0)
        label.setMaximumWidth(width + margin)
        self.statusBar().addPermanentWidget(label)
        label.ensurePolished()
        label.setText(label.fontMetrics().elidedText(text, elide, width))
        label.setToolTip(text)
        return label

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
        # The 同期 page's own actions: the page opens and shows their outcome.
        self.act_export_package = self._action(self.tr("同期パッケージを書き出す(&E)…"),
                                               lambda: self.sync_action("choose_export"))
        self.act_import_package = self._action(self.tr("同期パッケージを取り込む(&I)…"),
                                               lambda: self.sync_action("choose_import"))
        self.act_export_key = self._action(self.tr("公開鍵を書き出す(&K)…"), lambda: self.sync_action("export_public_key"))
        self.act_trust_key = self._action(self.tr("鍵を信頼する(&T)…"), lambda: self.sync_action("choose_key_to_trust"))
        for action in (self.act_export_package, self.act_import_package):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.act_export_key, self.act_trust_key):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("終了(&X)"), self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu(self.tr("編集(&E)"))
        self.act_new = self._action(self.tr("新規作成(&N)"), lambda: self.current_page().new_record(), QKeySequence.StandardKey.New)
        self.act_edit = self._action(self.tr("編集(&E)…"), lambda: self.current_page().edit_selected(), "Ctrl+E")
        self.act_duplicate = self._action(self.tr("複製(&D)"), lambda: self.current_page().duplicate_selected(), "Ctrl+D")
        self.act_delete = self._action(self.tr("削除(&L)"), lambda: self.current_page().delete_selected(), QKeySequence.StandardKey.Delete)
        # Ctrl+Z: a text field with the focus takes it first (its own undo of the typing); elsewhere it
        # brings back the last deleted record, which the action names. Enabled only after a delete.
        self.act_undo = self._action(self.tr("削除を取り消す(&U)"), lambda: self.current_page().undo_delete(),
                                     QKeySequence.StandardKey.Undo)
        self.act_search = self._action(self.tr("検索(&F)"), lambda: self.current_page().focus_search(), QKeySequence.StandardKey.Find)
        for action in (self.act_new, self.act_edit, self.act_duplicate, self.act_delete, self.act_undo):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_search)
        edit_menu.aboutToShow.connect(self._update_actions)

        view_menu = bar.addMenu(self.tr("表示(&V)"))
        for row, cls in enumerate(self.page_classes):
            key = f"Ctrl+{(row + 1) % 10}" if row < 10 else None
            title = cls.display_title.replace("&", "&&")  # Activities & events: an ampersand, not a mnemonic
            mnemonic = "1234567890ABCDEFGHIJ"[row] if row < 20 else ""  # as Ctrl+1 … Ctrl+0, then letters
            # Punctuation, not a sentence: ダッシュボード(&1) in Japanese, &1 Dashboard in English.
            shape = "{page}(&{key})" if language.current() == "ja" else "&{key} {page}"
            text = shape.format(page=title, key=mnemonic) if mnemonic else title
            view_menu.addAction(self._action(text, functools.partial(self.sidebar.setCurrentRow, row), key))
        view_menu.addSeparator()
        view_menu.addAction(self._action(self.tr("最新の情報に更新(&R)"), self.refresh_all, QKeySequence.StandardKey.Refresh))

        from jcim_desktop.ui.reports_menu import install as install_reports_menu

        self.reports_menu = install_reports_menu(self)
        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        from jcim_desktop.ui.help_browser import open_guide

        self.act_guide = self._action(self.tr("操作ガイド(&G)"), lambda: open_guide(self), "F1")
        help_menu.addAction(self.act_guide)
        help_menu.addSeparator()
        help_menu.addAction(self._action(self.tr("JCIM Desktop について(&A)"), self.about))

    def refresh_all(self) -> None:
        """最新の情報に更新: every page reloads (what another program may have written)."""
        ops.announce(self, Changes.everything())

    def _update_actions(self) -> None:
        page = self.current_page()
        editable = page.can_edit()
        for action in (self.act_new, self.act_edit, self.act_duplicate, self.act_delete):
            action.setEnabled(editable)
        deleted = getattr(page, "deleted_record", lambda: None)() if editable else None
        self.act_undo.setEnabled(deleted is not None)
        if deleted is None:
            self.act_undo.setText(self.tr("削除を取り消す(&U)"))
            self.act_undo.setToolTip(self.tr("元に戻せる削除はありません"))
        else:
            name = deleted if len(deleted) <= 24 else deleted[:23] + "…"
            self.act_undo.setText(self.tr("削除を取り消す（「{name}」を元に戻す）(&U)").format(name=name.replace("&", "&&")))
            self.act_undo.setToolTip(self.tr("削除した「{name}」を元に戻します（Ctrl+Z）").format(name=deleted))

    # The sidebar's 競合 entry ----------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        # Any record written (an import above all, or a resolution) may open or settle a conflict.
        if changes.entities:
            self._count_conflicts()

    def _count_conflicts(self) -> None:
        """Count the open conflicts off the GUI thread; the newest count wins."""
        self._conflict_counts += 1
        generation, ctx = self._conflict_counts, self.ctx

        def count(_progress: ops.Progress) -> int:
            from jcim_desktop.services import sync  # the sync stack loads off the GUI thread

            return sync.open_conflict_count(ctx)

        def counted(found: int) -> None:
            if generation == self._conflict_counts:
                self.show_conflict_count(found)

        ops.QueryOp(self, count, success=counted).run_in_background()

    def show_conflict_count(self, count: int) -> None:
        """「競合（3）」 in the sidebar while conflicts are open; 「競合」 when there are none."""
        self.open_conflicts = count
        for row, cls in enumerate(self.page_classes):
            if cls.page_id == "conflicts":
                item = self.sidebar.item(row)
                if count:
                    item.setText(self.tr("競合（{count}）").format(count=f"{count:,}"))
                    item.setToolTip(self.tr("解決していない競合が %n 件あります", "", count))
                else:
                    item.setText(cls.display_title)
                    item.setToolTip("")
                font = item.font()
                font.setBold(bool(count))
                item.setFont(font)

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


