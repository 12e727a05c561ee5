"""The English catalogue: complete, current, and the Qt way (extracted by lupdate, built by lrelease)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from jcim_desktop.domain.vocab import EVENT_TYPES
from jcim_desktop.ui import fmt, labels, language

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_has_english_and_the_compiled_catalogues_are_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "resources" / "i18n" / "update.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_no_module_translates_finished_text_back() -> None:
    assert importlib.util.find_spec("jcim_desktop.ui.i18n") is None


def test_labels_fiscal_years_and_dates_follow_the_language(qapp) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    day = dt.date(2024, 7, 1)
    try:
        assert language.use_language("en") == "en"
        assert labels.event_type("forum") == "Forum/symposium"
        assert labels.org("chugoku") == "Chugoku Forum"
        assert fmt.fy_label(2024) == "FY2024" and fmt.date_label(day) == "Jul 1, 2024"
        assert fmt.count(1234) == "1,234 records"
        assert QCoreApplication.translate("QFileDialog", "Open") == "Open"
    finally:
        language.use_language("ja")
    assert labels.event_type("forum") == EVENT_TYPES["forum"]
    assert labels.org("chugoku") == "中国フォーラム"
    assert fmt.fy_label(2024) == "令和6年度（2024）" and fmt.date_label(day) == "令和6年7月1日"
    assert fmt.count(1234) == "1,234 件"
    assert QCoreApplication.translate("QFileDialog", "Open") == "開く"


def test_an_unknown_language_falls_back_to_japanese(qapp) -> None:  # type: ignore[no-untyped-def]
    assert language.use_language("fr") == "ja"
    assert language.current() == "ja"
