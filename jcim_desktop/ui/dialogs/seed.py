"""シーズ（技術）: the entry dialog of a technology offered by a company."""

from __future__ import annotations

from typing import Any

from jcim_desktop.services import records
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles


class SeedDialog(RecordDialog):
    entity = "seeds"
    form_name = "seed_dialog.ui"

    def build(self) -> None:
        self.bind_line("company")
        self.bind_line("tech_name")
        self.bind_text("summary")
        self.facility_types = self.bind_facility_types()
        self.bind_line("netis_no")
        self.bind_date("registered_on")
        self.bind_contact()

    def defaults(self) -> dict[str, Any]:
        return {"facility_types": []}

    def titles(self) -> Titles:
        return Titles(self.tr("シーズ（技術）の新規登録"), self.tr("シーズ（技術）の編集"), self.tr("シーズ（技術）（閲覧のみ）"))

    def record_name(self, record: records.Record) -> str:
        return str(record.data.get("tech_name") or "")

    def saved_message(self, record: records.Record) -> str:
        return self.tr("シーズ（技術）「{name}」を保存しました").format(name=self.record_name(record))
