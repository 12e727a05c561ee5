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
