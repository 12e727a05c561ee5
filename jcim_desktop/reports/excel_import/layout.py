"""The layout of the two workbooks, shared by the templates and the readers: sheet names and
the columns of the needs survey (ニーズ調査票) and of the activity plan (活動計画)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jcim_desktop.domain.classification import TRIAL_KIND_LABEL
from jcim_desktop.domain.vocab import EVENT_TYPES

NEEDS_SHEET = "ニーズ調査票"
EVENTS_SHEET = "活動計画"
CHOICES_SHEET = "選択肢"
LG_LIST_SHEET = "自治体一覧"
HOWTO_SHEET = "記入方法"
EXAMPLE_MARK = "例）"
TEMPLATE_ROWS = 20_000  # dropdowns and formats cover this many rows


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the name used in messages
    header: str  # what the template writes in row 1
    width: float
    required: bool  # the column must be present
    aliases: tuple[str, ...] = ()
    note: str = ""  # 記入方法: how to fill it in
    example: Any = None


NEEDS_COLUMNS: tuple[Column, ...] = (
    Column("lg", "自治体", "自治体（名前またはコード）", 26, True,
           ("自治体名", "自治体名称", "市区町村", "市区町村名", "自治体コード", "団体コード", "地方公共団体コード"),
           "「広島県福山市」「福山市」のような名前か、6桁の団体コード（例: 342076）。同名の市町村があるときは都道府県名から。",
           "例）広島県福山市"),
    Column("title", "技術テーマ", "技術テーマ", 30, True, ("テーマ", "ニーズ名"),
           "求める技術を一言で。", "河川堤防の点検の効率化"),
    Column("facility1", "施設種別1", "施設種別1", 13, False, ("施設種別",),
           "▼の一覧から選ぶ（3つまで）。", "河川"),
    Column("facility2", "施設種別2", "施設種別2", 13, False, (), "", "道路"),
    Column("facility3", "施設種別3", "施設種別3", 13, False, (), "", None),
    Column("requirements", "求める内容・条件", "求める内容・条件", 50, True,
           ("求める内容", "内容・条件", "求める条件", "ニーズの内容"),
           "困っていること、求める性能・費用・時期などの条件。",
           "車両が入れない堤防を安く早く点検したい。"),
    Column("received_on", "受付日", "受付日", 14, True, ("受付年月日",),
           "2024/5/10、令和6年5月10日、R6.5.10 のいずれか。", dt.date(2024, 5, 10)),
    Column("department", "担当部署", "担当部署", 20, False, ("部署", "担当課", "所属"),
           "任意。", "建設局 河川課"),
    Column("contact_name", "担当者", "担当者", 14, False, ("担当者名", "氏名"), "任意。", "福山 太郎"),
    Column("email", "メール", "メール", 28, False, ("メールアドレス", "e-mail", "email", "mail"),
           "任意。", "kasen@example.lg.jp"),
    Column("phone", "電話", "電話", 16, False, ("電話番号", "tel"), "任意。", "084-000-0000"),
)

EVENTS_COLUMNS: tuple[Column, ...] = (
    Column("title", "活動・行事名", "活動・行事名", 40, True, ("活動名", "行事名", "活動・行事", "名称"),
           "活動・行事の名前。", "例）第1回 地方フォーラム"),
    Column("planned", "開催予定日", "開催予定日（計画表の書き方のまま）", 26, True, ("開催日", "予定日", "開催時期"),
           "計画表の書き方のまま（例: 7月頃、第2四半期、未定（4月）、6月上旬～7月中旬、R6.10.9）。", "7月頃"),
    Column("description", "内容", "内容", 50, False, ("概要", "活動内容"),
           "任意。", "講演とパネルディスカッション"),
    Column("event_type", "種別", "種別", 26, False, ("活動種別", "行事の種別"),
           f"任意。▼の一覧から選ぶ。空欄は「その他」。「{TRIAL_KIND_LABEL}」を選んだ行は実証実験として登録され、"
           "現場試行数に数えられます（自治体が1つ必要）。", EVENT_TYPES["forum"]),
    Column("lg", "自治体", "自治体（実証実験・現場試行は必須）", 30, False,
           ("自治体名", "実施自治体", "市区町村", "市区町村名", "自治体コード", "団体コード", "参加・支援する自治体"),
           f"「{TRIAL_KIND_LABEL}」の行では必須: 実証実験を行う自治体を1つ、「広島県福山市」のような名前か6桁の団体コードで。"
           "ほかの行では任意: 参加・支援する自治体（複数は「、」で区切る）。", None),
)
