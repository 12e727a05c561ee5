"""Starting the window: application set-up, first run, damaged-database recovery, screenshots.

The database and the window's modules are imported when ``run`` needs them, after PySide6's
import check has been made quicker (``_quicker_pyside_import_check``).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from jcim_desktop.errors import UserError
from jcim_desktop.paths import resource_path
from jcim_desktop.services.settings import load_settings
from jcim_desktop.system import bundled_font, system_fonts_hidden
from jcim_desktop.ui import language

if TYPE_CHECKING:
    from types import ModuleType

    from jcim_desktop.services.context import AppContext
    from jcim_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


def _quicker_pyside_import_check() -> None:
    """Give PySide6 the same answer to its question about every module imported after it, faster.

    For its ``__feature__`` switches PySide6 asks of each module whether its source mentions
    PySide6, through ``inspect.getsource``, which also keeps every line of every module in
    ``linecache``: on the 2-core machine 420 modules at start cost about 100 ms and 20 MB. Reading
    the file's bytes answers the same question in a third of the time and keeps nothing. Where
    PySide6 is not laid out so (another version), nothing changes.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "quicker", False):
        return

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:  # no source (a frozen bundle): as inspect.getsource's OSError
            return False

    mod_uses_pyside.quicker = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[attr-defined]


_quicker_pyside_import_check()

# Japanese UI fonts in order of preference (Windows, macOS, Linux).
JAPANESE_FONTS = (
    "Yu Gothic UI", "Meiryo UI", "Meiryo", "Hiragino Sans", "Hiragino Kaku Gothic ProN",
    "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "MS UI Gothic",
)


_bundled_family: str | None = None


def register_bundled_font() -> str | None:
    """Add IPAex Gothic as shipped with the application to Qt's fonts (once); its family name."""
    global _bundled_family
    if _bundled_family is None:
        path = bundled_font()
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("the bundled Japanese font %s could not be loaded", path)
            return None
        _bundled_family = families[0]
    return _bundled_family


def _system_families() -> list[str]:
    return [] if system_fonts_hidden() else QFontDatabase.families()


def use_japanese_font(app: QApplication, families: Callable[[], Iterable[str]] = _system_families) -> str | None:
    """Make a Japanese face the application's font, before any window is shown: the platform's
    (``JAPANESE_FONTS``), or, on a machine that has none, the bundled IPAex Gothic, so that text
    is never drawn as empty boxes. Returns the family used (None if even the bundled one failed)."""
    available = set(families())
    family = next((f for f in JAPANESE_FONTS if f in available), None) or register_bundled_font()
    if family is not None:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
        app.setFont(font)
        log.info("window font: %s", family)
    return family


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("JCIM Desktop")
    app.setOrganizationName("JCIM")
    app.setApplicationDisplayName("JCIM Desktop")
    use_japanese_font(app)
    icon = resource_path("icon.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Japanese until the installation's language is known (Qt's own texts included).
    language.use_language("ja")
    return app


def _first_run(folder: Path) -> tuple[AppContext | None, bool]:
    """Set up a new installation; returns it and whether demo data was asked for."""
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(folder)
    if not dialog.exec():
        return None, False
    choice = dialog.choice()
    if choice.imported is not None:  # made from the old laptop's keys (the dialog said what to restore)
        return choice.imported.ctx, False
    return init_installation(choice.org, folder, user_name=choice.user_name), choice.load_demo


def load_demo_in_background(window: MainWindow) -> None:
    """Load demo data off the GUI thread, with progress; every page refreshes when it is done."""
    from jcim_desktop.services import demo
    from jcim_desktop.services.changes import Changes, WithChanges
    from jcim_desktop.ui import ops

    def load(progress: ops.Progress) -> WithChanges:
        return WithChanges(demo.load_demo(window.ctx), Changes.everything())

    def done(result: WithChanges) -> None:
        summary: dict[str, int] = result.value  # type: ignore[assignment]
        window.bus.status_message.emit(
            translate("app", "デモデータを読み込みました（{count} 件）。").format(count=f"{sum(summary.values()):,}"))

    ops.CollectionOp(window, load).success(done) \
        .with_progress(translate("app", "デモデータを読み込んでいます…")).run_in_background()


def _offer_drafts(window: MainWindow, ctx: AppContext) -> None:
    """Offer to restore what was being typed when the program last stopped (drafts)."""
    from jcim_desktop.services.drafts import pending_drafts

    if pending_drafts(ctx):
        # The dialogs (and Qt's form loader) are imported only when there is a draft to restore.
        from jcim_desktop.ui.dialogs import restore_drafts

        restore_drafts(window, ctx, window.bus)


def _open_with_recovery(folder: Path) -> AppContext | None:
    """Open the data folder; if the database cannot be used (empty, not SQLite, damaged), offer
    the newest good backup, a fresh start that keeps the bad file aside, or quitting."""
    from jcim_desktop.services import backups
    from jcim_desktop.services.context import DatabaseUnreachable, NotRegistered, open_app

    while True:
        try:
            # The daily whole-file check and backup run after the first paint (MainWindow.started).
            return open_app(folder, maintenance=False)
        except (DatabaseUnreachable, NotRegistered) as problem:
            if _shared_database_unavailable(folder, problem):
                continue  # try again (the server is back, or the folder now uses its own file)
            return None
        except backups.DatabaseDamaged as damaged:
            from jcim_desktop.ui.recovery_dialog import FRESH, RESTORE, DamagedDatabaseDialog

            kept = backups.kept_name_preview(folder, damaged=True)
            dialog = DamagedDatabaseDialog(damaged, kept.name)
            dialog.exec()
            try:
                if dialog.choice == RESTORE and damaged.good_backup is not None:
                    backups.restore(folder, damaged.good_backup.path, kept=kept)
                    continue  # open what was restored
                if dialog.choice == FRESH:
                    return _start_fresh(folder)
            except UserError as exc:
                QMessageBox.warning(None, translate("app", "JCIM Desktop"), exc.message)
                continue  # the database is as it was: ask again
            return None


def _shared_database_unavailable(folder: Path, problem: UserError) -> bool:
    """The shared database cannot be opened (server down, login refused, this installation not
    registered there): say why and offer to try again, to go on with this folder's own SQLite
    database when it has one (the choice is saved, as in 設定), or to quit. True: open again."""
    import os

    from jcim_desktop.services.context import DATABASE_URL_ENV, DB_FILE_NAME
    from jcim_desktop.services.settings import load_settings, save_settings

    box = QMessageBox(QMessageBox.Icon.Warning, translate("app", "JCIM Desktop"), problem.message)
    retry = box.addButton(translate("app", "再試行"), QMessageBox.ButtonRole.AcceptRole)
    local = None
    if (folder / DB_FILE_NAME).exists() and not os.environ.get(DATABASE_URL_ENV):
        local = box.addButton(translate("app", "このフォルダのデータベース（SQLite）を使う"),
                              QMessageBox.ButtonRole.ActionRole)
    box.addButton(translate("app", "終了"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    if box.clickedButton() is retry:
        return True
    if local is not None and box.clickedButton() is local:
        settings = load_settings(folder)
        settings.database_url = None
        save_settings(folder, settings)
        return True
    return False


def _start_fresh(folder: Path) -> AppContext | None:
    """A fresh start beside a damaged database, for the org recorded for the folder (or, if
    nothing says which, the one chosen in the first-run dialog)."""
    from jcim_desktop.services import backups

    org = backups.recorded_org(folder)
    user_name = ""
    if org is None:
        from jcim_desktop.ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(folder, fresh_start=True)
        if not dialog.exec():
            return None
        choice = dialog.choice()
        org, user_name = choice.org, choice.user_name
    started = backups.start_fresh(folder, org=org, user_name=user_name)
    lines = [translate("app", "空のデータベースで新しく始めました。")]
    if started.kept is not None:
        lines.append(translate("app", "壊れたデータベースは {name} として残しました。").format(name=started.kept.name))
    if started.new_key:
        lines.append(translate("app", "鍵が見つからなかったため、新しい鍵を作りました。"
                                      "事務局やほかの端末に、この鍵をもう一度信頼してもらってください。"))
    else:
        lines.append(translate("app", "この端末の鍵は引き継いだので、ほかの端末の信頼はそのままです。"))
    lines.append(translate("app", "信頼していた鍵は「同期」ページで設定し直してください。"
                                  "事務局の全国パッケージを取り込むと、送ってあった記録が戻ります。"))
    QMessageBox.information(None, translate("app", "JCIM Desktop"), "\n".join(lines))
    return started.ctx


BENCH_EXIT_AFTER_PAINT = "JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT"
"""For bench/startup.py and bench/frozen.py: print ``painted <perf_counter> <peak MB>`` on the
window's first frame, then quit."""
BENCH_EXIT_AFTER_DATA = "JCIM_DESKTOP_BENCH_EXIT_AFTER_DATA"
"""For bench/startup.py: print ``data <seconds since the process started> <peak MB>`` once the
dashboard's figures and lists are painted, then quit."""


def _peak_mb() -> str:
    """`` 123.4``: the process's peak resident memory in MB (Linux; elsewhere nothing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return f" {int(line.split()[1]) / 1024:.1f}"
    except OSError:
        pass
    return ""


_MODULE_LOADED = time.perf_counter()


def _seconds_since_process_start() -> float:
    """Seconds since this process started (Linux: from ``/proc``, to 10 ms; elsewhere since this
    module was imported, which leaves the interpreter's own start out)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            # The fields after the command name (which may hold spaces): field 22 is the start
            # time in clock ticks after boot.
            fields = stat.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _MODULE_LOADED


class _BenchExit(QObject):
    """Prints the line a benchmark waits for, then quits: ``painted`` on the window's first frame;
    ``data`` once the frame showing the dashboard's figures and lists is painted (the window's
    ``started``)."""

    def __init__(self, app: QApplication, window: MainWindow, *, data: bool) -> None:
        super().__init__(app)
        self.app = app
        self.done = False
        if data:
            window.started.connect(self._data_painted)
        else:
            window.installEventFilter(self)
            central = window.centralWidget()
            if central is not None:
                central.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        print(f"painted {time.perf_counter():.6f}{_peak_mb()}", flush=True)
        self.app.quit()

    def _data_painted(self) -> None:
        print(f"data {_seconds_since_process_start():.3f}{_peak_mb()}", flush=True)
        self.app.quit()


def run(
    data_dir: Path | str | None = None,
    screenshot_dir: str | None = None,
    language_override: str | None = None,
    screenshot_size: tuple[int, int] = (1280, 800),
) -> int:
    """Open the window (or, with ``screenshot_dir``, render every page at ``screenshot_size`` to PNG and quit).

    ``language_override`` (``ja``/``en``) replaces the installation's chosen language for this run.
    """
    # The start makes some 100,000 objects that live as long as the program and almost no
    # garbage: the cyclic collector, walking them again and again, took about 140 ms of it on
    # the 2-core machine. It waits until the window shows its data (``_collect_from_now``).
    gc.disable()
    try:
        return _run(data_dir, screenshot_dir, language_override, screenshot_size)
    finally:
        _collect_from_now()


def _collect_from_now() -> None:
    """Set aside what the start made (``gc.freeze``: the collector skips it from now on, and the
    few cycles it holds stay) and turn the collector back on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _run(
    data_dir: Path | str | None, screenshot_dir: str | None, language_override: str | None,
    screenshot_size: tuple[int, int],
) -> int:
    app = application()
    from jcim_desktop.services.context import is_initialized, open_app, resolve_data_dir
    from jcim_desktop.ui.crash import install_excepthook

    folder = resolve_data_dir(data_dir)
    install_excepthook(folder)
    if screenshot_dir is not None:
        if not is_initialized(folder):
            raise UserError(f"データフォルダ {folder} はまだ初期化されていません。先に init と demo を実行してください。")
        language.use_language(language_override or load_settings(folder).language)
        shot_ctx = open_app(folder)
        try:
            from jcim_desktop.ui.main_window import MainWindow

            window = MainWindow(shot_ctx)
            written = window.render_screenshots(Path(screenshot_dir), screenshot_size)
            window.close()
        finally:
            shot_ctx.close()
        print("\n".join(str(p) for p in written), file=sys.stderr)
        return 0

    language.use_language(language_override or (load_settings(folder).language if is_initialized(folder) else "ja"))
    wants_demo = False
    ctx: AppContext | None
    try:
        if is_initialized(folder):
            ctx = _open_with_recovery(folder)
        else:
            ctx, wants_demo = _first_run(folder)
    except UserError as exc:
        QMessageBox.warning(None, translate("app", "JCIM Desktop"), exc.message)
        return 1
    if ctx is None:
        return 1
    from jcim_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    if os.environ.get(BENCH_EXIT_AFTER_DATA):
        _BenchExit(app, window, data=True)
    elif os.environ.get(BENCH_EXIT_AFTER_PAINT):
        _BenchExit(app, window, data=False)
    window.show()
    if wants_demo:
        load_demo_in_background(window)
    window.started.connect(_collect_from_now)
    # Drafts left by a crash are offered once the window shows its data.
    window.started.connect(lambda: _offer_drafts(window, ctx))
    try:
        return app.exec()
    finally:
        # Work still running (a count started after the start, say) finishes before its
        # database closes.
        from jcim_desktop.ui import ops

        ops.wait_for_all()
        # After a restore the window was rebuilt on a new context: close whichever is open.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.ctx.close()
        ctx.close()
