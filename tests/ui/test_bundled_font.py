"""The Japanese font that ships with the application (resources/fonts/ipaexg.ttf, IPAex Gothic).

On a machine without any Japanese font the window would draw boxes; the application registers
the bundled IPAex Gothic at start and makes it the application's font.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel

from jcim_desktop import system
from jcim_desktop.ui import app as app_module

TEXT = "支援自治体数　令和６年度（２０２４）　ﾌｸﾔﾏ　〇"


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QApplication]:
    before = QFont(qapp.font())
    yield qapp
    qapp.setFont(before)


def test_without_a_system_japanese_font_the_bundled_one_is_registered_and_used(app_font, qtbot):
    family = app_module.use_japanese_font(app_font, families=lambda: [])
    assert family == "IPAexGothic"
    assert app_font.font().family() == "IPAexGothic"
    # It is the application's own registration of the bundled file.
    assert any("IPAexGothic" in QFontDatabase.applicationFontFamilies(i) for i in range(32))
    label = QLabel(TEXT)
    qtbot.addWidget(label)
    assert QFontInfo(label.font()).family() == "IPAexGothic"
    metrics = QFontMetrics(label.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in TEXT)
    # Registered once, however often the application starts.
    assert app_module.use_japanese_font(app_font, families=lambda: []) == "IPAexGothic"


def test_a_system_japanese_font_is_preferred(app_font):
    assert app_module.use_japanese_font(app_font, families=lambda: ["Arial", "Noto Sans CJK JP"]) == "Noto Sans CJK JP"
    assert app_font.font().family() == "Noto Sans CJK JP"
    assert app_font.font().pointSizeF() >= 10.0


def test_the_test_hook_hides_the_system_fonts(app_font, monkeypatch):
    monkeypatch.setenv(system.NO_SYSTEM_FONTS_ENV, "1")
    assert app_module.use_japanese_font(app_font) == "IPAexGothic"


def test_the_font_ships_with_its_licence():
    font = system.bundled_font()
    assert font.is_file() and font.name == "ipaexg.ttf"
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, which the PDFs can embed
    licence = font.with_name(system.BUNDLED_FONT_LICENSE).read_text(encoding="utf-8")
    assert licence.startswith("IPAフォントライセンスv1.0")
    assert "IPA Font License Agreement v1.0" in licence and "Article 5 (Governing Law)" in licence
    assert "IPAex Gothic" in (font.parent / "README.md").read_text(encoding="utf-8")


NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.mark.skipif(sys.platform != "linux", reason="fontconfig decides which fonts Qt sees on Linux")
def test_on_a_machine_with_no_fonts_at_all_the_window_uses_the_bundled_font(tmp_path):
    # A fontconfig that knows no font folder: what Qt sees on a machine without fonts.
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_FONTS.format(cache=tmp_path / "cache"), encoding="utf-8")
    script = (
        "from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics\n"
        "from jcim_desktop.ui.app import application\n"
        "app = application()\n"
        "print(QFontInfo(app.font()).family())\n"
        f"print(all(QFontMetrics(app.font()).inFontUcs4(ord(c)) for c in {TEXT!r}))\n"
        "print(len(QFontDatabase.applicationFontFamilies(0)))\n"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120,
                            cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IPAexGothic", "True", "1"], result.stderr
