"""実証実験・現場試行: the entry dialog of a field trial, linked to its matching, need, seed and pitch event.

What a trial takes from the matching or need it is linked to is the service's answer
(``services.trials``); the dialog only fills in what is still empty.
"""

from __future__ import annotations

from typing import Any

from jcim_desktop.domain.vocab import EVENT_STATUSES
from jcim_desktop.services import records, trials
from jcim_desktop.ui import labels
from jcim_desktop.ui.dialogs.base import RecordDialog, Titles
from jcim_desktop.ui.dialogs.event import HeldDatesMixin, fiscal_year_of_event
from jcim_desktop.ui.fmt import current_fiscal_year
from jcim_desktop.ui.widgets.record_link import RecordLinkEdit


class TrialDialog(HeldDatesMixin, RecordDialog):
    entity = "trials"
    form_name = "trial_dialog.ui"

    def build(self) -> None:
        self.bind_line("title")
        self.bind_line("series_no")
        self.links: dict[str, RecordLinkEdit] = {}
        self._link("matching_id", "matchingIdHolder", RecordLinkEdit(self.ctx, "matchings"))
        self.municipality = self.bind_municipality()
        self._link("need_id", "needIdHolder", RecordLinkEdit(self.ctx, "needs"))
        self._link("seed_id", "seedIdHolder", RecordLinkEdit(self.ctx, "seeds"))
        self._link("pitch_event_id", "pitchEventIdHolder",
                   RecordLinkEdit(self.ctx, "events", event_types=["pitch_event"],
                                  placeholder=self.tr("ピッチイベント名で検索して選ぶ（任意）")))
        fy = fiscal_year_of_event(self.record.data) if self.record is not None else None
        self.planned = self.bind_planned("planned", "plannedHolder", fy or current_fiscal_year())
        self.status_combo = self.bind_combo("status", EVENT_STATUSES, labels.event_status)
        self.bind_held()
        self.bind_text("result")
        self.status_combo.currentIndexChanged.connect(self.update_held_row)
        self.links["matching_id"].changed.connect(self._matching_chosen)
        self.links["need_id"].changed.connect(self._need_chosen)

    def _link(self, name: str, holder: str, edit: RecordLinkEdit) -> None:
        self.links[name] = self.bind_custom(name, holder, edit, edit.record_id, edit.set_record_id)

    def defaults(self) -> dict[str, Any]:
        return {"status": "planned", "planned": {"text": ""}}

    def titles(self) -> Titles:
        return Titles(self.tr("実証実験の新規登録"), self.tr("実証実験の編集"), self.tr("実証実験（閲覧のみ）"))

    def saved_message(self, record: records.Record) -> str:
        return self.tr("実証実験「{name}」を保存しました").format(name=self.record_name(record))

    def after_load(self) -> None:
        self.update_held_row()

    def _fill_empty(self, copied: dict[str, str]) -> None:
        """Put in what a linked record says, only where nothing is entered yet."""
        for name, value in copied.items():
            if name in self.links and self.links[name].record_id() is None:
                self.links[name].set_record_id(value)
            elif name == "lg_code" and self.municipality.code() is None:
                self.municipality.set_code(value)

    def _matching_chosen(self) -> None:
        matching_id = self.links["matching_id"].record_id()
        if not self._loading and matching_id is not None:
            self._fill_empty(trials.copied_from_matching(self.ctx, matching_id))

    def _need_chosen(self) -> None:
        need_id = self.links["need_id"].record_id()
        if not self._loading and need_id is not None:
            self._fill_empty(trials.copied_from_need(self.ctx, need_id))
