"""The window's start when the shared database cannot be opened (server down, login refused):
it says why and offers to try again, to go on with the folder's own SQLite file, or to quit —
never a dead end where 設定 cannot be reached."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from jcim_desktop.services import records
from jcim_desktop.services.context import init_installation
from jcim_desktop.services.settings import load_settings, save_settings
from jcim_desktop.ui.app import _open_with_recovery

pytestmark = pytest.mark.gui
UNREACHABLE = "postgresql+psycopg://jcim@/jcim?host=/nonexistent/jcim-socket&connect_timeout=2"


def _answer(button_text: str, seen: list[str]) -> None:
    """Click the button of the first visible message box whose text starts with ``button_text``."""
    tries = [0]

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                button = next(b for b in widget.buttons() if b.text().startswith(button_text))
                button.click()
                return
        tries[0] += 1
        if tries[0] < 1000:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _folder_pointing_at_a_server_that_is_down(tmp_path):  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    ctx = init_installation("secretariat", data)
    records.create(ctx, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                  "facility_types": ["bridge"]})
    ctx.close()
    settings = load_settings(data)
    settings.database_url = UNREACHABLE
    save_settings(data, settings)
    return data


def test_the_folder_own_database_can_be_used_when_the_shared_one_is_down(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("JCIM_DESKTOP_DATABASE_URL", raising=False)
    data = _folder_pointing_at_a_server_that_is_down(tmp_path)
    seen: list[str] = []
    _answer("このフォルダのデータベース", seen)
    opened = _open_with_recovery(data)
    assert opened is not None
    try:
        assert not opened.db.shared
        assert len(records.list_records(opened, "seeds", records.Query())) == 1
    finally:
        opened.close()
    assert "接続できません" in seen[0]  # the reason was said first
    assert load_settings(data).database_url is None  # the choice is kept, as 設定 would


def test_quitting_leaves_the_choice_as_it_was(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("JCIM_DESKTOP_DATABASE_URL", raising=False)
    data = _folder_pointing_at_a_server_that_is_down(tmp_path)
    seen: list[str] = []
    _answer("終了", seen)
    assert _open_with_recovery(data) is None
    assert load_settings(data).database_url == UNREACHABLE
