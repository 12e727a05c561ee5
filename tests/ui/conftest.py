"""Fixtures of the window tests: the window's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from jcim_desktop.ui import language


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The English catalogues (ours and Qt's) for the test; Japanese again afterwards."""
    assert language.use_language("en") == "en"
    yield
    language.use_language("ja")


class Answers:
    """What ``answers`` records: every message box shown, as (text, informative text) for a box
    run with ``exec`` and (title, text) for QMessageBox.information / warning / critical."""

    def __init__(self) -> None:
        self.click: str | None = None
        """The text of the button a question is answered with (None: its escape button)."""
        self.shown: list[tuple[str, str]] = []


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """QMessageBox made answerable, so that no box waits for a click: each one shown is recorded
    in ``answers.shown``; a question is answered by the button whose text is ``answers.click``
    (else by its escape button)."""
    from PySide6.QtWidgets import QMessageBox

    found = Answers()

    def exec_(box: QMessageBox) -> int:
        found.shown.append((box.text(), box.informativeText()))
        chosen = next((b for b in box.buttons() if b.text() == found.click), None) or box.escapeButton()
        if chosen is not None:
            chosen.click()
        return 0

    def static(_parent: object, title: str, text: str, *_args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        found.shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", static)
    monkeypatch.setattr(QMessageBox, "warning", static)
    monkeypatch.setattr(QMessageBox, "critical", static)
    return found
