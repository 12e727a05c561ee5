"""The first-run dialog: no organisation until the person chooses one, and each listed by its name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from jcim_desktop.domain.orgs import ORGS, OrgKind
from jcim_desktop.ui.first_run import FirstRunDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    shown = FirstRunDialog(tmp_path / "data")
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _choosable(dialog: FirstRunDialog) -> list[tuple[str, str]]:
    combo = dialog.org_combo
    model = combo.model()
    return [(combo.itemText(row), combo.itemData(row)) for row in range(combo.count())
            if model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsSelectable]


def test_no_organisation_is_chosen_until_the_person_chooses_one(qtbot, dialog):
    combo = dialog.org_combo
    assert combo.currentIndex() == -1 and dialog.chosen_org() is None
    assert combo.placeholderText() == "組織を選んでください"
    assert not dialog._ok.isEnabled() and dialog._ok.text() == "始める"
    dialog.name_edit.setText("北海道 太郎")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter does not start without an org
    assert dialog.isVisible() and dialog.result() == 0

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard skips the headings
    assert dialog.chosen_org() == "hokkaido" and dialog._ok.isEnabled()
    combo.setCurrentIndex(combo.findData("kyushu"))
    qtbot.mouseClick(dialog._ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    choice = dialog.choice()
    assert (choice.org, choice.user_name, choice.load_demo) == ("kyushu", "北海道 太郎", False)


def test_organisations_are_listed_by_name_under_their_kind(dialog):
    choosable = _choosable(dialog)
    forums_and_secretariat = [o.code for o in ORGS.values()
                              if o.kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM, OrgKind.SECRETARIAT)]
    assert sorted(code for _text, code in choosable) == sorted(forums_and_secretariat)
    texts = [text for text, _code in choosable]
    assert texts[0] == "北海道フォーラム" and "事務局" in texts and "革新的技術フォーラム" in texts
    assert not any("（" in text for text in texts)  # no 「事務局（事務局）」, no 「…フォーラム（地方フォーラム）」
    combo = dialog.org_combo
    headings = [combo.itemText(row) for row in range(combo.count()) if combo.itemData(row) is None]
    assert headings == ["地方フォーラム", "全国フォーラム", ""]  # and a line before 事務局
    assert combo.itemData(combo.count() - 1) == "secretariat"


def test_the_fresh_start_dialog_also_waits_for_a_choice(qtbot, tmp_path):
    dialog = FirstRunDialog(tmp_path / "data", fresh_start=True)
    qtbot.addWidget(dialog)
    assert dialog.chosen_org() is None and not dialog._ok.isEnabled()
    dialog.name_edit.setText("近畿 花子")
    dialog._accept()
    assert dialog.result() == 0 and "組織を選んでください" in dialog._error.text()
    dialog.org_combo.setCurrentIndex(dialog.org_combo.findData("kinki"))
    assert dialog._error.text() == ""  # the message goes once the org is chosen
    dialog._accept()
    assert dialog.result() == 1 and dialog.choice().org == "kinki"
