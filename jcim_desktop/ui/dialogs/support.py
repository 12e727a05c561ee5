"""自治体支援: support given to a local government (or, overseas, a country) that no other record holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jcim_desktop.domain.vocab import SUPPORT_KINDS
from jcim_desktop.services import records
from jcim_desktop.ui import labels
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles
from jcim_desktop.ui.widgets.municipality import lg_name


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

    def record_name(self, record: records.Record) -> str:
        """What kind of support, and where: 「研修（広島県福山市）」."""
        kind = labels.support_kind(record.data.get("kind"))
        entry = self.ctx.registry.get(record.data.get("lg_code")) if record.data.get("lg_code") else None
        place = lg_name(entry) if entry is not None else str(record.data.get("country") or "")
        return self.tr("{kind}（{place}）").format(kind=kind, place=place) if place else kind

    def saved_message(self, record: records.Record) -> str:
        return self.tr("自治体支援「{name}」を保存しました").format(name=self.record_name(record))
