"""The change log as people read it in the window: actions, fields, values old → new, sources.

The 変更履歴 tab of every record dialog and the 変更履歴 page word an entry of
``services.audit`` the same way: dates through :mod:`~jcim_desktop.ui.fmt`, codes through
:mod:`~jcim_desktop.ui.labels`, a local government by its name, a linked record by its label.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication

from jcim_desktop.domain.entities import FIELDS
from jcim_desktop.services.audit import AuditRow
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels

translate = QCoreApplication.translate

# A field that names another record, and that record's kind.
_LINKED: dict[str, str] = {"need_id": "needs", "seed_id": "seeds", "event_id": "events", "pitch_event_id": "events",
                           "matching_id": "matchings"}


def action(row: AuditRow) -> str:
    """登録 / 変更 / 削除 / 削除の取り消し / 競合の解決 / 競合."""
    return action_word(row.action)


def action_word(code: str) -> str:
    """An action code of the log as people read it."""
    if code == "create":
        return translate("AuditText", "登録")
    if code == "update":
        return translate("AuditText", "変更")
    if code == "delete":
        return translate("AuditText", "削除")
    if code == "restore":
        return translate("AuditText", "削除の取り消し")
    if code == "resolve":
        return translate("AuditText", "競合の解決")
    if code == "conflict":
        return translate("AuditText", "競合")
    if code == "import":
        return translate("AuditText", "パッケージの取り込み")
    if code == "undo_import":
        return translate("AuditText", "取り込みの取り消し")
    return code


def action_tip(row: AuditRow) -> str:
    """What an action means where its word is short (a conflict: which version is shown)."""
    if row.action != "conflict":
        return action(row)
    if row.changes:
        return translate("AuditText", "同時に変更された版が届き、受信した版を表示しています（もう一方の版も残しています。"
                                      "「競合」ページで選べます）。")
    return translate("AuditText", "同時に変更された版が届きました。この端末の版を表示したまま、受信した版も残しています"
                                  "（「競合」ページで選べます）。")


def person(row: AuditRow) -> str:
    return row.by or translate("AuditText", "（不明）")


def when(row: AuditRow) -> str:
    return fmt.datetime_label(row.at) if row.at is not None else ""


def source(row: AuditRow, ctx: AppContext) -> str:
    """Where the change came from: this installation, or an org's package (its id's first 8 characters)."""
    if row.merged:
        return translate("AuditText", "{org}から受信・パッケージ {package}").format(
            org=labels.org(row.sender_org) if row.sender_org else translate("AuditText", "（不明）"),
            package=(row.package_id or "")[:8])
    if row.installation == ctx.installation_id:
        return translate("AuditText", "この端末")
    return translate("AuditText", "端末 {installation}").format(installation=row.installation[:8])


def source_tip(row: AuditRow) -> str:
    """The whole of the source, for a tool tip: package id, sender's installation, when it arrived."""
    if not row.merged:
        return ""
    received = fmt.datetime_label(row.received_at) if row.received_at else ""
    return translate("AuditText", "パッケージ {package}\n送り主: {org}（端末ID {installation}）\n取り込み: {received}").format(
        package=row.package_id or "", org=labels.org(row.sender_org) if row.sender_org else "",
        installation=row.sender_installation or "", received=received)


def field(entity: str, name: str) -> str:
    """A logged field's label: 技術テーマ, 開催予定日（開始）, 削除."""
    if name == "deleted":
        return translate("AuditText", "削除")
    if name == "owner":
        return translate("AuditText", "登録組織")
    base, _dot, part = name.partition(".")
    label = labels.field(entity, base)
    if not part:
        return label
    parts = {"text": translate("AuditText", "記入"), "start": translate("AuditText", "開始"), "end": translate("AuditText", "終了"),
             "precision": translate("AuditText", "精度"), "tentative": translate("AuditText", "仮")}
    return translate("AuditText", "{field}（{part}）").format(field=label, part=parts.get(part, part))


def nothing() -> str:
    return translate("AuditText", "（なし）")


def value(ctx: AppContext, entity: str, name: str, raw: Any) -> str:
    """A logged value as people read it (a code by its label, a date by ``fmt``, a record by its label)."""
    if raw is None or raw == "" or raw == [] or raw == {}:
        return nothing()
    if isinstance(raw, bool):
        return translate("AuditText", "はい") if raw else translate("AuditText", "いいえ")
    if name == "owner":
        return labels.org(str(raw))
    base, _dot, part = name.partition(".")
    if part:
        if part in ("start", "end"):
            return _date(raw)
        if part == "precision":
            return labels.precision(str(raw))
        return str(raw)
    spec = next((s for s in FIELDS.get(entity, ()) if s.name == base), None)
    kind = spec.type if spec is not None else ""
    if spec is not None and spec.choices and isinstance(raw, str):
        return labels.text(spec.choices[raw]) if raw in spec.choices else raw
    if kind == "date":
        return _date(raw)
    if kind == "datetime":
        try:
            return fmt.datetime_label(dt.datetime.fromisoformat(str(raw)))
        except ValueError:
            return str(raw)
    if kind == "lg_code":
        return _place(ctx, raw)
    if kind == "lg_codes" and isinstance(raw, list):
        return fmt.join([_place(ctx, code) for code in raw])
    if kind == "facility_types" and isinstance(raw, list):
        return fmt.join([labels.facility_type(str(code)) for code in raw])
    if kind in ("orgs", "trust_orgs") and isinstance(raw, list):
        return fmt.join([translate("AuditText", "すべて") if code == "all" else labels.org(str(code)) for code in raw])
    if kind == "contact" and isinstance(raw, dict):
        return fmt.join([translate("AuditText", "{label} {value}").format(label=labels.contact_field(key), value=text)
                         for key, text in raw.items() if text]) or nothing()
    if kind == "stages" and isinstance(raw, list):
        return fmt.join([translate("AuditText", "{stage}（{day}）").format(
            stage=labels.matching_stage(str(s.get("stage"))), day=_date(s.get("on")))
            for s in raw if isinstance(s, dict)])
    if kind == "uuid" and isinstance(raw, str) and base in _LINKED:
        from jcim_desktop.ui.widgets.record_link import label_of

        return label_of(ctx, _LINKED[base], raw) or raw
    if kind == "kpis" and isinstance(raw, dict):
        return translate("AuditText", "KPI {count} 項目").format(count=fmt.number(len(raw)))
    if isinstance(raw, int | float):
        return fmt.number(raw)
    if isinstance(raw, list):
        return fmt.join([str(item) for item in raw])
    return str(raw)


def change(ctx: AppContext, row: AuditRow, name: str) -> str:
    """「技術テーマ: 橋梁点検 → 河川堤防の点検」."""
    old, new = row.changes[name]
    return translate("AuditText", "{field}: {old} → {new}").format(
        field=field(row.entity, name), old=value(ctx, row.entity, name, old), new=value(ctx, row.entity, name, new))


def shown_changes(row: AuditRow) -> list[str]:
    """The fields of an entry worth a line (a deletion's own ``deleted`` says nothing its action does not)."""
    return [name for name in row.changes
            if not (name == "deleted" and row.action in ("delete", "restore"))]


def _date(raw: Any) -> str:
    try:
        return fmt.date_label(raw) if raw else nothing()
    except ValueError:
        return str(raw)


def _place(ctx: AppContext, code: Any) -> str:
    found = ctx.registry.get(code)
    return found.full_name if found is not None else str(code)
