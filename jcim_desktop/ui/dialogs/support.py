"""自治体支援: support given to a local government (or, overseas, a country) that no other record holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jcim_desktop.domain.vocab import SUPPORT_KINDS
from jcim_desktop.ui import labels
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles


class SupportDialog(RecordDialog):
    entity = "support_activities"
    form_name = "support_dialog.ui"

    def build(self) -> None:
        self.bind_combo("kind", SUPPORT_KINDS, labels.support_kind)
        self.bind_date("on")
        self.municipality = self.bind_municipality()
        self.bind_line("country")
        self.bind_text("note")

    def defaults(self) -> dict[str, Any]:
        return {"on": dt.date.today().isoformat()}

    def titles(self) -> Titles:
        return Titles(self.tr("自治体支援の新規登録"), self.tr("自治体支援の編集"), self.tr("自治体支援（閲覧のみ）"))
