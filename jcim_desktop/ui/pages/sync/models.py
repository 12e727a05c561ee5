"""The 同期 page's tables: what an import would do, the trusted keys, what was received."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from jcim_desktop.domain.entities import ENTITIES
from jcim_desktop.services import sync
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.pages.sync.wording import (
    COUNT_KEYS,
    counts_text,
    issue,
    missing_text,
    short_id,
    totals_of,
    trusted_orgs,
)
from jcim_desktop.ui.rows_model import Column, RowsModel

WARNING = QColor(palette.ERROR)
CAUTION = QColor(palette.CAUTION)
TOTAL_BACKGROUND = QColor(palette.TOTAL_BACKGROUND)
REVOKED = QColor("#9aa0a6")
"""A revoked key's row: greyed."""


def key_font() -> QFont:
    """The font key ids are shown in (monospace)."""
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


@dataclass(frozen=True)
class PreviewRow:
    """One entity's counts (or the total, ``entity`` None)."""

    entity: str | None
    counts: Mapping[str, int]

    def count(self, key: str) -> int:
        return int(self.counts.get(key, 0))


def _counter(key: str) -> Callable[[PreviewRow], int]:
    return lambda row: row.count(key)


class PreviewModel(RowsModel[PreviewRow]):
    """Per entity: what importing would insert / update / leave / put in conflict; a 合計 row last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        headers = (self.tr("追加"), self.tr("更新"), self.tr("変更なし"), self.tr("競合"))
        self.set_columns([
            Column(self.tr("記録の種類"), lambda r: r.entity,
                   text=lambda r: labels.entity(r.entity) if r.entity else self.tr("合計")),
            *(Column(header, _counter(key), numeric=True) for header, key in zip(headers, COUNT_KEYS, strict=True)),
        ])

    def load_outcome(self, by_entity: Mapping[str, Mapping[str, int]]) -> None:
        order = [e for e in ENTITIES if e in by_entity] + sorted(e for e in by_entity if e not in ENTITIES)
        total = {key: sum(int(c.get(key, 0)) for c in by_entity.values()) for key in COUNT_KEYS}
        self.set_rows([*(PreviewRow(e, by_entity[e]) for e in order), PreviewRow(None, total)])

    def cell_data(self, row: PreviewRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.entity is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and row.count("conflicts"):
            return WARNING
        if role == Qt.ItemDataRole.BackgroundRole and row.entity is None:
            return TOTAL_BACKGROUND
        return None


def _orgs(trust: sync.Trust) -> str:
    return trusted_orgs(trust.orgs, trust.everyone)


class TrustModel(RowsModel[sync.Trust]):
    """The keys this installation trusts, for which organisations, and where each comes from:
    added by hand, or registered by the secretariat (SYNC_FORMAT §4), with the date a registered
    key was revoked (such rows are greyed)."""

    SOURCE, REVOKED = 2, 3
    """The columns 出所 and 失効日."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("鍵ID"), lambda t: t.key_id),
            Column(self.tr("書いてよい組織"), _orgs, tooltip=_orgs),
            Column(self.tr("出所"), self.source, tooltip=self._source_tip),
            Column(self.tr("失効日"), lambda t: t.revoked_on),
            Column(self.tr("登録日"), lambda t: t.added,
                   text=lambda t: fmt.date_label(t.added.date()) if t.added else t.added_at,
                   tooltip=lambda t: fmt.datetime_label(t.added) if t.added else t.added_at),
            Column(self.tr("メモ"), lambda t: t.note or "", tooltip=lambda t: t.note),
        ])

    def source(self, trust: sync.Trust) -> str:
        """「手動で追加」 or 「事務局が登録（関東フォーラム 2台目）」."""
        if trust.label is None:
            return self.tr("手動で追加")
        if trust.by_hand:
            return self.tr("手動で追加・事務局も登録（{label}）").format(label=trust.label)
        return self.tr("事務局が登録（{label}）").format(label=trust.label)

    def _source_tip(self, trust: sync.Trust) -> str:
        if trust.revoked:
            return self.tr("{source}。{date}に失効しました。この日より後に作成されたこの鍵のパッケージは受け付けません。").format(
                source=self.source(trust), date=fmt.date_label(trust.revoked_on))
        registration = trust.registration
        if trust.by_hand and registration is not None and registration.revoked_on is not None:
            return self.tr("{source}。事務局の登録は{date}に失効しましたが、手動で追加した鍵なので引き続き信頼しています。").format(
                source=self.source(trust), date=fmt.date_label(registration.revoked_on))
        if trust.label is not None and not trust.by_hand:
            return self.tr("{source}。事務局の鍵を信頼しているので、事務局が登録したこの鍵も信頼しています。").format(
                source=self.source(trust))
        return self.source(trust)

    def cell_data(self, row: sync.Trust, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column == 0:
            return key_font()
        if role == Qt.ItemDataRole.ForegroundRole and row.revoked:
            return REVOKED
        return None


class ReceivedModel(RowsModel[sync.InstallationLog]):
    """Per installation heard from: its latest package and the numbers that never arrived."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("組織"), lambda log: log.org, text=lambda log: labels.org(log.org)),
            Column(self.tr("端末ID"), lambda log: log.installation, text=lambda log: short_id(log.installation),
                   tooltip=lambda log: log.installation),
            Column(self.tr("最新の号"), lambda log: log.last_sequence, text=lambda log: issue(log.last_sequence),
                   numeric=True),
            Column(self.tr("受信日時"), lambda log: log.received, text=self._received, tooltip=self._created),
            Column(self.tr("件数"), lambda log: sum(totals_of(log.last_counts).values()), text=lambda log: counts_text(log.last_counts),
                   tooltip=lambda log: counts_text(log.last_counts)),
            Column(self.tr("注意"), lambda log: log.missing_count, text=lambda log: missing_text(log.missing),
                   tooltip=lambda log: missing_text(log.missing) or None),
        ])

    @staticmethod
    def _received(log: sync.InstallationLog) -> str:
        return fmt.datetime_label(log.received) if log.received else log.last_received_at

    def _created(self, log: sync.InstallationLog) -> str:
        created = fmt.datetime_label(log.created) if log.created else log.last_created_at
        return self.tr("作成: {when}").format(when=created)

    def cell_data(self, row: sync.InstallationLog, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and row.missing:
            return CAUTION
        return None
