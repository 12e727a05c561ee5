"""Every page and dialog, in English and in Japanese: one language on the screen at a time.

In English no Japanese may show outside record data (titles, notes, municipality names people
typed or the master data holds); in Japanese no English word outside a short allow-list
(PDF, Excel, ID …). Pages are shown with the demo data of a forum and of the secretariat, each
left to finish loading; dialogs are opened empty and on a demo record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QWidget

from jcim_desktop.services import demo, records
from jcim_desktop.services.context import AppContext, init_installation
from jcim_desktop.ui import language, ops
from language_walk import (
    JAPANESE_RUN,
    english_outside_allow_list,
    japanese_outside_data,
    record_runs,
    visible_texts,
    without_mnemonic,
)

TODAY = dt.date(2024, 11, 20)


@pytest.fixture(scope="module")
def demo_contexts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, AppContext]]:
    folder = tmp_path_factory.mktemp("languages")
    contexts = {
        "chugoku": init_installation("chugoku", folder / "chugoku", user_name="山田 花子"),
        "secretariat": init_installation("secretariat", folder / "secretariat", user_name="佐藤 次郎"),
    }
    for ctx in contexts.values():
        demo.load_demo(ctx, today=TODAY)
    # People's names (the user's own, shown in the status bar) are data too.
    contexts["runs"] = (record_runs(contexts["chugoku"]) | record_runs(contexts["secretariat"])  # type: ignore[assignment]
                        | set(JAPANESE_RUN.findall("山田 花子 佐藤 次郎")))
    yield contexts
    for key in ("chugoku", "secretariat"):
        contexts[key].close()


def _settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    def idle() -> bool:
        QCoreApplication.processEvents()
        return ops.running() == 0 and QThreadPool.globalInstance().activeThreadCount() == 0

    qtbot.waitUntil(idle, timeout=20000)
    for _ in range(3):
        QCoreApplication.processEvents()


LANGUAGE_SELECTOR = "QComboBox:languageCombo item"
"""Each language is named in itself (日本語, English), so a person finds theirs in either window."""


def _check(widget: QWidget, lang: str, runs: set[str]) -> None:
    texts = [(where, text) for where, text in visible_texts(widget) if where != LANGUAGE_SELECTOR]
    assert texts, "nothing to read"
    if lang == "en":
        problems = japanese_outside_data(texts, runs)
    else:
        problems = english_outside_allow_list(texts, runs)
    assert not problems, "\n".join(f"{where}: {text!r}" for where, text in problems[:40])


PAGE_IDS = ("dashboard", "events", "pitch_events", "needs", "seeds", "matchings", "trials", "support",
            "municipalities", "sync", "conflicts", "targets", "national_tally", "received",
            "trends", "audit")


@pytest.fixture(params=["en", "ja"])
def lang(request: pytest.FixtureRequest, qapp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    assert language.use_language(request.param) == request.param
    yield request.param
    language.use_language("ja")


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_page_speaks_one_language(page_id: str, lang: str, demo_contexts, qtbot) -> None:  # type: ignore[no-untyped-def]
    from jcim_desktop.ui.main_window import MainWindow

    org = "secretariat" if page_id in ("targets", "national_tally", "municipalities", "received", "trends") else "chugoku"
    window = MainWindow(demo_contexts[org])
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_page(page_id)
    _settle(qtbot)
    _check(window, lang, demo_contexts["runs"])


def _record_dialogs(ctx: AppContext) -> list[tuple[str, Callable[[QWidget], QDialog]]]:
    from jcim_desktop.ui.dialogs import dialog_class

    found = []
    for entity in ("events", "needs", "seeds", "matchings", "trials", "support_activities"):
        found.append((f"new {entity}", lambda parent, e=entity: dialog_class(e)(ctx, parent=parent)))
        existing = records.list_records(ctx, entity)
        if existing:
            found.append((f"edit {entity}", lambda parent, e=entity, r=existing[0].id: dialog_class(e)(ctx, r, parent=parent)))
    return found


def _list_export(ctx: AppContext, parent: QWidget) -> QDialog:
    """The Excel export's question with 連絡先を含める ticked: its sentence about personal data shown."""
    from jcim_desktop.ui.personal_data import ListExportDialog

    dialog = ListExportDialog(ctx, "needs", "自治体ニーズ", None, parent)
    dialog.contacts_box.setChecked(True)
    return dialog


def _other_dialogs(ctx: AppContext) -> list[tuple[str, Callable[[QWidget], QDialog]]]:
    from jcim_desktop.services.sync import UntrustedSigner
    from jcim_desktop.services.tally import tally
    from jcim_desktop.ui.backup_dialog import BackupDialog
    from jcim_desktop.ui.close_year_dialog import CloseYearDialog
    from jcim_desktop.ui.explain_dialog import ExplainDialog
    from jcim_desktop.ui.first_run import FirstRunDialog
    from jcim_desktop.ui.pages.sync.dialogs import UntrustedKeyDialog
    from jcim_desktop.ui.published_dialog import PublishedFiguresDialog
    from jcim_desktop.ui.reports_menu import KpiReportDialog, NotOpenedDialog
    from jcim_desktop.ui.settings_dialog import SettingsDialog
    from jcim_desktop.ui.widgets.orgs import OrgChooser

    return [
        ("settings", lambda parent: SettingsDialog(ctx, parent)),
        ("backups", lambda parent: BackupDialog(ctx, parent)),
        ("first run", lambda parent: FirstRunDialog(Path(ctx.data_dir).parent / "new-install", parent)),
        ("records behind a figure",
         lambda parent: ExplainDialog(ctx, TODAY.year, "supported_municipalities", "chugoku", parent)),
        ("published figures", lambda parent: PublishedFiguresDialog(ctx, parent)),
        ("co-host chooser", lambda parent: OrgChooser(["kanto", "innovative_tech"], ctx.org, parent)),
        ("KPI report", lambda parent: KpiReportDialog(parent, 2024)),
        ("Excel list export", lambda parent: _list_export(ctx, parent)),
        ("PDF not opened", lambda parent: NotOpenedDialog(Path(ctx.data_dir) / "kpi-report.pdf", parent)),
        ("untrusted key", lambda parent: UntrustedKeyDialog(parent, UntrustedSigner(
            public_key="A" * 43 + "=", key_id="1a2b-3c4d-5e6f-7a8b", sender_org="kinki",
            installation="5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f", scope="org", orgs=("kinki",), refused=("kinki",),
            trusted=()), "kinki.jcimsync")),
        ("close a year", lambda parent: CloseYearDialog(ctx, 2024, tally(ctx, 2024)["kpis"], parent)),
    ]


def test_every_dialog_speaks_one_language(lang: str, demo_contexts, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = demo_contexts["chugoku"]
    parent = QWidget()
    qtbot.addWidget(parent)
    failures = []
    for name, make in [*_record_dialogs(ctx), *_other_dialogs(ctx)]:
        dialog = make(parent)
        dialog.show()
        _settle(qtbot)
        try:
            _check(dialog, lang, demo_contexts["runs"])
        except AssertionError as exc:
            failures.append(f"[{name}] {exc}")
        discard = getattr(dialog, "discard_draft", None)
        if discard is not None:
            discard()
        dialog.close()
        dialog.deleteLater()
    assert not failures, "\n".join(failures)


def test_qt_own_dialogs_speak_the_chosen_language(lang: str, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    box = QMessageBox(QMessageBox.Icon.Question, "JCIM Desktop", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Ok)
    qtbot.addWidget(box)
    box.show()
    buttons = {without_mnemonic(box.button(b).text()) for b in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)}
    files = QFileDialog(None, "", str(tmp_path))
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    files.show()
    labels = {text for _where, text in visible_texts(files)}
    cancel = files.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).text()
    cancel = without_mnemonic(cancel)
    if lang == "en":
        assert buttons == {"Yes", "No"} and cancel == "Cancel"
        assert "Look in:" in labels
    else:
        assert buttons == {"はい", "いいえ"} and cancel == "キャンセル"
        assert "Look in:" not in labels and any("場所" in text or "フォルダ" in text for text in labels)
