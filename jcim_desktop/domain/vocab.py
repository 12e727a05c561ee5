"""The enumerations of SYNC_FORMAT §4 with their Japanese labels, in display order."""

from __future__ import annotations

EVENT_TYPES: dict[str, str] = {
    "forum": "フォーラム・シンポジウム",
    "seminar": "セミナー・講演会・講習会",
    "workshop": "ワークショップ・勉強会",
    "outreach_class": "出前授業",
    "matching_event": "マッチングイベント",
    "pitch_event": "ピッチイベント",
    "municipality_visit": "自治体訪問・ヒアリング",
    "mayors_council_meeting": "市区町村長会議の会議等",
    "exhibition": "出展",
    "lecture": "講義",
    "meeting": "運営会議",
    "other": "その他",
}

EVENT_STATUSES: dict[str, str] = {
    "planned": "予定",
    "confirmed": "確定",
    "held": "実施済",
    "postponed": "延期",
    "cancelled": "中止",
}

NEED_STATUSES: dict[str, str] = {
    "open": "受付",
    "matching": "マッチング中",
    "resolved": "解決",
    "withdrawn": "取下げ",
}

FACILITY_TYPES: dict[str, str] = {
    "road": "道路",
    "bridge": "橋梁",
    "tunnel": "トンネル",
    "river": "河川",
    "sabo": "砂防",
    "coast": "海岸",
    "port": "港湾",
    "sewerage": "下水道",
    "water_supply": "上水道",
    "park": "公園",
    "building": "建築物",
    "airport": "空港",
    "other": "その他",
}

MATCHING_STAGES: dict[str, str] = {
    "considered": "マッチング検討",
    "established": "マッチング成立",
    "implemented": "社会実装",
    "dropped": "不成立・中止",
}

SUPPORT_KINDS: dict[str, str] = {
    "needs_hearing": "ニーズヒアリング",
    "visit": "訪問",
    "hands_on_advice": "ハンズオン支援",
    "consultation": "よろず相談",
    "other": "その他",
}

PRECISIONS: dict[str, str] = {
    "day": "日",
    "dekad": "旬",
    "month": "月",
    "quarter": "四半期",
    "year": "年度",
    "undecided": "未定",
}
