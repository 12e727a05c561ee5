"""自治体ニーズ: the entry dialog of a municipality need."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jcim_desktop.domain.vocab import NEED_STATUSES
from jcim_desktop.services import records
from jcim_desktop.ui import labels
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles


class NeedDialog(RecordDialog):
    entity = "needs"
    form_name = "need_dialog.ui"

    def build(self) -> None:
        self.municipality = self.bind_municipality()
        self.bind_line("title")
        self.facility_types = self.bind_facility_types()
        self.bind_text("requirements")
        self.bind_date("received_on")
        self.bind_line("survey")
        self.bind_combo("status", NEED_STATUSES, labels.need_status)
        self.bind_contact()

    def defaults(self) -> dict[str, Any]:
        return {"status": "open", "received_on": dt.date.today().isoformat(), "facility_types": []}

    def titles(self) -> Titles:
        return Titles(self.tr("自治体ニーズの新規登録"), self.tr("自治体ニーズの編集"), self.tr("自治体ニーズ（閲覧のみ）"))

    def saved_message(self, record: records.Record) -> str:
        return self.tr("自治体ニーズ「{name}」を保存しました").format(name=self.record_name(record))
