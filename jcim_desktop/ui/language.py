"""The language of the window: Qt translation catalogues, installed before any widget is built.

Japanese is the source language: the UI's texts are written in Japanese at the call sites, inside
``self.tr(...)`` or ``QCoreApplication.translate(context, ...)`` (``translate`` for short), and
``resources/i18n/jcim_desktop_en.qm`` translates them into English. Qt's own texts (standard
buttons, file dialogs, the calendar) come from Qt's ``qtbase_ja`` / ``qtbase_en`` catalogues.
Texts are translated when a widget is built, so a new language applies from the next start.

``resources/i18n/update.py`` extracts the texts (``pyside6-lupdate``), keeps the English
catalogue in step and compiles it (``pyside6-lrelease``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from jcim_desktop.paths import resource_path

LANGUAGES: tuple[str, ...] = ("ja", "en")

_installed: list[QTranslator] = []
_language = "ja"


def current() -> str:
    """The language the window speaks (``ja`` or ``en``)."""
    return _language


def use_language(language: str) -> str:
    """Install the catalogues of ``language`` (replacing any installed before); returns the
    language in use (Japanese when ``language`` is unknown or its catalogue is missing)."""
    global _language
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language not in LANGUAGES:
        language = "ja"
    if language != "ja":
        ours = QTranslator(app)
        if not ours.load(str(resource_path(f"i18n/jcim_desktop_{language}.qm"))):
            language = "ja"
        else:
            app.installTranslator(ours)
            _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    extra = QTranslator(app)  # Qt's texts its Japanese catalogue lacks (installed last: looked up first)
    if language == "ja" and extra.load(str(resource_path("i18n/qt_extra_ja.qm"))):
        app.installTranslator(extra)
        _installed.append(extra)
    if language == "ja":
        QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    _language = language
    return language


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark ``text`` for extraction in ``context`` without translating it now (a typed version of
    Qt's own: translate it where it is shown, with ``QCoreApplication.translate(context, text)``)."""
    return text
