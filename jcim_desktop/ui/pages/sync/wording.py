"""Texts the sync pages share: package numbers, gaps, counts, scopes, file names, lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from jcim_desktop.ui import fmt, labels, language

if TYPE_CHECKING:
    from jcim_desktop.services.sync import UntrustedSigner

translate = QCoreApplication.translate

PACKAGE_SUFFIX = ".jcimsync"
COUNT_KEYS = ("inserted", "updated", "unchanged", "conflicts")


def _japanese() -> bool:
    return language.current() == "ja"


def short_id(installation: str) -> str:
    """The first 8 characters of an installation UUID: enough for a person to tell them apart."""
    return installation[:8]


def sender_label(org: str, installation: str) -> str:
    """``中国フォーラム（端末 5c0d1a2b）``: who sent a package."""
    return translate("sync", "{org}（端末 {installation}）").format(org=labels.org(org), installation=short_id(installation))


def issue(sequence: int) -> str:
    """``第3号`` / ``No. 3``: a package's sequence number."""
    return translate("sync", "第{sequence}号").format(sequence=f"{sequence:,}")


def scope_label(scope: str) -> str:
    if scope == "national":
        return translate("sync", "全国（配布用）")
    if scope == "org":
        return translate("sync", "自組織分")
    return scope


def package_filter() -> str:
    return translate("sync", "同期パッケージ (*.jcimsync)")


def any_file_filter() -> str:
    return translate("sync", "すべてのファイル (*)")


def key_filter() -> str:
    return translate("sync", "公開鍵 (*.pub *.txt *.key);;すべてのファイル (*)")


def default_package_name(org: str, sequence: int, scope: str = "org", today: dt.date | None = None) -> str:
    """``jcim-chugoku-20261123-第3号.jcimsync`` (the national package says 全国)."""
    day = (today or dt.date.today()).strftime("%Y%m%d")
    if scope == "national":
        name = translate("sync", "jcim-{org}-全国-{day}-第{sequence}号")
    else:
        name = translate("sync", "jcim-{org}-{day}-第{sequence}号")
    return name.format(org=org, day=day, sequence=sequence) + PACKAGE_SUFFIX


def public_key_file_name(org: str, key_id: str) -> str:
    return translate("sync", "jcim-{org}-公開鍵-{key}.pub").format(org=org, key=key_id)


def _numbers(missing: Sequence[tuple[int, int]]) -> list[str]:
    dash = "～" if _japanese() else "–"
    return [f"{first:,}" if first == last else f"{first:,}{dash}{last:,}" for first, last in missing]


def missing_text(missing: Sequence[tuple[int, int]]) -> str:
    """``第2・4～6号が届いていません（全件の写しなので失われたデータはありません）``; "" without gaps.

    ``missing`` is ranges (first, last) of sequence numbers, however large.
    """
    if not missing:
        return ""
    parts = _numbers(missing)
    count = sum(last - first + 1 for first, last in missing)
    if len(parts) > 4:
        numbers = fmt.join([*parts[:3], "…", parts[-1]], ja="・")
        return translate("sync", "第{numbers}号など{count}号分が届いていません（全件の写しなので失われたデータはありません）").format(
            numbers=numbers, count=f"{count:,}")
    numbers = fmt.join(parts, ja="・")
    if count > len(parts) and count > 3:
        return translate("sync", "第{numbers}号（{count}号分）が届いていません（全件の写しなので失われたデータはありません）").format(
            numbers=numbers, count=f"{count:,}")
    if count == 1:
        return translate("sync", "第{number}号が届いていません（全件の写しなので失われたデータはありません）").format(number=numbers)
    return translate("sync", "第{numbers}号が届いていません（全件の写しなので失われたデータはありません）").format(numbers=numbers)


def count_parts(totals: Mapping[str, int], *, all_four: bool = True) -> str:
    """``追加 3・更新 1・変更なし 10・競合 0`` (``all_four=False``: only the counts that are not 0)."""
    texts = {
        "inserted": translate("sync", "追加 {n}"),
        "updated": translate("sync", "更新 {n}"),
        "unchanged": translate("sync", "変更なし {n}"),
        "conflicts": translate("sync", "競合 {n}"),
    }
    total = sum(int(totals.get(key, 0)) for key in COUNT_KEYS)
    shown = [key for key in COUNT_KEYS
             if all_four or int(totals.get(key, 0)) or (not total and key == "unchanged")]
    return fmt.join((texts[key].format(n=fmt.number(int(totals.get(key, 0)))) for key in shown), ja="・")


def totals_of(counts: Mapping[str, Mapping[str, int]] | Mapping[str, int]) -> dict[str, int]:
    """Per-entity counts (or totals) added up into one total per kind of outcome."""
    totals = dict.fromkeys(COUNT_KEYS, 0)
    for key, value in counts.items():
        if isinstance(value, Mapping):
            for k in COUNT_KEYS:
                totals[k] += int(value.get(k, 0))
        elif key in totals:
            totals[key] += int(value)
    return totals


def counts_text(counts: Mapping[str, Mapping[str, int]] | Mapping[str, int]) -> str:
    """``計 14 件（追加 3・更新 1・変更なし 10）`` from per-entity or total counts."""
    totals = totals_of(counts)
    return translate("sync", "計 {total} 件（{parts}）").format(
        total=fmt.number(sum(totals.values())), parts=count_parts(totals, all_four=False))


def trusted_orgs(orgs: Sequence[str], everyone: bool) -> str:
    """The organisations a trusted key may write for (``すべての組織`` for every one)."""
    if everyone:
        return translate("sync", "すべての組織")
    return fmt.join(labels.org(code) for code in orgs)


def untrusted_reason(signer: UntrustedSigner) -> str:
    """Why a package signed by a key not trusted (enough) was not imported, and what to do: the
    window's wording (the command line's names the ``trust add`` command instead)."""
    sender = sender_label(signer.sender_org, signer.installation)
    if signer.known:
        return translate("sync", "鍵ID {key}（送り主: {sender}）は「{orgs}」の記録を書くことを信頼されていません。"
                                 "送り主に確かめてから、もう一度取り込み、「この鍵を信頼して取り込む…」を選んでください。").format(
            key=signer.key_id, sender=sender, orgs=trusted_orgs(signer.refused, False))
    return translate("sync", "信頼していない鍵（鍵ID {key}）で署名されています。送り主: {sender}。"
                             "鍵IDを送り主に電話やメールで確かめてから、もう一度取り込み、「この鍵を信頼して取り込む…」を選んでください。").format(
        key=signer.key_id, sender=sender)
