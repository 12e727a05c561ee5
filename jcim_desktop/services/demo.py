"""Demo data (デモデータ): a realistic, deterministic set of records to try the application with.

``load_demo`` fills an empty database with the FY2024 (令和6年度) plan of this installation's
forum (``resources/r6_regional_plan.json``) as events, a re-planned set for the current fiscal
year, and per forum a small set of needs, seeds, matchings, trials, support activities and a
pitch event; for every installation also the municipality master and the KPI targets.

Records this installation may write go through ``records.create_many`` (stamped and audited).
Records of other organisations (the regional forums' records at the secretariat, the
secretariat's master and targets at a forum) are written whole with ``store.bulk``, as if
they had arrived in that organisation's package from a simulated installation of it.

Each forum's data comes from ``random.Random`` seeded with the forum's code, so the data of
one forum is the same at the forum's own installation and at the secretariat's.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain import kpi
from jcim_desktop.domain.dates import PlannedDate, parse_planned
from jcim_desktop.domain.entities import ENTITY_LABELS
from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.domain.lgcodes import LocalGovernment
from jcim_desktop.domain.orgs import NATIONAL_FORUMS, ORGS, REGIONAL_FORUMS, SECRETARIAT, OrgKind
from jcim_desktop.errors import UserError
from jcim_desktop.paths import resource_path
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.bulk import envelope_row, upsert_rows
from jcim_desktop.store.models import Event, MunicipalityStatus

PLAN_FILE = "r6_regional_plan.json"
PLAN_FISCAL_YEAR = 2024
STATUS_AS_OF = dt.date(2024, 3, 18)
ADMIN_MEMBERS = 1362
"""行政会員 on 2024-03-18 (DESIGN.md)."""
MAYORS_COUNCIL_MEMBERS = 1088
"""市区町村長会議 参画 on 2024-03-18 (DESIGN.md)."""

ALREADY_LOADED = "デモデータは既に読み込まれています。"

# Written in this order, so that a record is stored after the records it refers to.
_ENTITY_ORDER: tuple[str, ...] = (
    "events",
    "needs",
    "seeds",
    "pitch_presentations",
    "matchings",
    "trials",
    "support_activities",
    "municipality_status",
    "kpi_targets",
)
_REFERENCE_FIELDS: tuple[str, ...] = ("event_id", "need_id", "seed_id", "matching_id", "pitch_event_id")

# -- event types ------------------------------------------------------------------------------

# First rule that matches wins; the order settles titles that name two kinds
# (「建設技術フォーラム」へのブース出展 is an exhibition, 市区町村長会議… a mayors' council event).
_EVENT_TYPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mayors_council_meeting", ("市区町村長会議",)),
    ("exhibition", ("出展", "EE東北")),
    ("outreach_class", ("出前授業",)),
    ("pitch_event", ("ピッチ",)),
    ("matching_event", ("マッチング",)),
    ("municipality_visit", ("自治体訪問", "ヒアリング", "ニーズ調査", "ニーズの調査")),
    ("workshop", ("ワークショップ", "勉強会")),
    ("seminar", ("セミナー", "講演会", "講習会")),
    ("forum", ("フォーラム", "シンポジウム")),
    ("lecture", ("講義",)),
    ("meeting", ("会議", "ミーティング")),
)
FORUM_EVENT_TYPES: frozenset[str] = frozenset({"forum", "seminar", "workshop", "matching_event", "pitch_event"})
"""Event types that count in フォーラム実施数."""

_SERIES_RE = re.compile(r"第(\d+)回")
_ERA_YEAR_RE = re.compile(r"(令和|R)(\d+)(?=[年.])")


def infer_event_type(title: str) -> str:
    """The event type a plan's title suggests (``other`` when it names none)."""
    text = unicodedata.normalize("NFKC", title)
    for event_type, words in _EVENT_TYPE_RULES:
        if any(unicodedata.normalize("NFKC", w) in text for w in words):
            return event_type
    return "other"


def series_no(title: str) -> int | None:
    """N of 第N回 in a title, or None."""
    match = _SERIES_RE.search(unicodedata.normalize("NFKC", title))
    return int(match.group(1)) if match else None


def shift_years(text: str, fiscal_year: int, base_year: int = PLAN_FISCAL_YEAR) -> str:
    """A plan text of FY ``base_year`` rewritten for ``fiscal_year`` (R6 → R8, 2024 → 2026, '24 → '26)."""
    delta = fiscal_year - base_year
    if delta == 0:
        return text
    shifted = _ERA_YEAR_RE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + delta}", text)
    shifted = shifted.replace(str(base_year), str(fiscal_year))
    return shifted.replace(f"'{base_year % 100:02d}", f"'{fiscal_year % 100:02d}")


# -- the pools the small sets are drawn from ----------------------------------------------------


@dataclass(frozen=True)
class _NeedTemplate:
    title: str
    facility_types: tuple[str, ...]
    requirements: str


@dataclass(frozen=True)
class _SeedTemplate:
    company: str
    tech_name: str
    summary: str
    facility_types: tuple[str, ...]
    netis_no: str | None = None
    domain: str = "example.co.jp"


_NEEDS: tuple[_NeedTemplate, ...] = (
    _NeedTemplate("河川堤防の変状を車両の入れない区間で点検したい", ("river",),
                  "管理用通路のない堤防区間（約12km）で、徒歩巡視に代わり、はらみ出し・亀裂・漏水跡を把握できる方法。"
                  "年2回の点検で1回あたり50万円程度以内。"),
    _NeedTemplate("小規模橋梁の近接目視点検を効率化したい", ("bridge",),
                  "橋長15m未満の橋梁が約400橋あり、5年ごとの近接目視に職員と委託費が足りない。"
                  "橋梁点検車を使わずに床版下面・支承部を確認できること。"),
    _NeedTemplate("道路舗装のひび割れ・わだち掘れを日常パトロールで把握したい", ("road",),
                  "パトロール車に後付けでき、走行しながら路面の損傷位置と程度を記録できること。"
                  "結果を地図上で修繕計画に使える形で出力したい。"),
    _NeedTemplate("下水道管路の老朽度を効率よくスクリーニングしたい", ("sewerage",),
                  "布設後40年を超える管路（約60km）について、TVカメラ調査の前に優先順位を付けたい。"
                  "道路の通行規制を最小限にしたい。"),
    _NeedTemplate("水道管の漏水箇所を早期に発見したい", ("water_supply",),
                  "有収率が低下している配水区域で、夜間作業に頼らず漏水位置を絞り込める技術。"),
    _NeedTemplate("トンネル覆工のうき・はく離を交通規制なしで点検したい", ("tunnel",),
                  "2車線の道路トンネル（延長300～800m）で、片側交互通行にせず覆工表面の変状を記録したい。"),
    _NeedTemplate("大規模出水後に河川内の土砂堆積状況を早期に把握したい", ("river", "sabo"),
                  "出水後1週間以内に、河道内の堆積土砂の範囲と量の概算を把握し、撤去の優先度を決めたい。"),
    _NeedTemplate("道路施設の台帳・点検結果・修繕履歴を一元管理したい", ("road", "bridge"),
                  "紙とExcelに分かれている台帳・点検結果・修繕履歴・住民要望を一つのシステムで管理し、"
                  "少人数でも引き継げるようにしたい。"),
    _NeedTemplate("橋面舗装の打ち替えを耐久性のある工法で行いたい", ("bridge", "road"),
                  "薄層舗装の打ち替え後、数年でポットホールが再発する。交通量の多い橋で長持ちする工法を探している。"),
    _NeedTemplate("公園遊具の劣化状況を職員が簡易に判定したい", ("park",),
                  "専門業者の点検は年1回。日常点検で職員が腐食・摩耗の程度を統一した基準で判定できる仕組み。"),
    _NeedTemplate("法面・斜面の変状を遠隔で常時監視したい", ("road", "sabo"),
                  "落石・崩土の履歴がある山間部の道路法面で、変状の兆候を通知してくれる低コストの監視手段。"
                  "電源・通信環境が乏しい。"),
    _NeedTemplate("道路照明灯・標識柱の根元腐食を効率よく点検したい", ("road",),
                  "約3,000基の照明灯・標識柱について、掘削せずに地際部の腐食の程度を判定したい。"),
    _NeedTemplate("桟橋の下面を安全に点検したい", ("port",),
                  "小型船を使った目視点検は潮位と天候に左右され危険も伴う。桟橋上部工下面を安全に点検したい。"),
    _NeedTemplate("護岸背面の空洞化を早期に発見したい", ("coast",),
                  "海岸護岸の背後で陥没が発生した。陥没前に空洞を発見し、計画的に補修したい。"),
    _NeedTemplate("排水機場のポンプ設備の故障予兆を把握したい", ("river", "sewerage"),
                  "老朽化したポンプ設備の突発故障を避けるため、運転データから故障の予兆を捉えたい。"),
    _NeedTemplate("横断歩道橋の塗装塗替えを低コストで行いたい", ("bridge",),
                  "鋼製の横断歩道橋の塗膜劣化が進んでいる。足場・通行規制を抑えた塗替え工法を探している。"),
    _NeedTemplate("導水路トンネルの内部を人が入らずに点検したい", ("tunnel", "water_supply"),
                  "断面が小さく酸欠のおそれがある導水路トンネル（延長約2km）の内部を無人で点検したい。"),
    _NeedTemplate("マンホール蓋のがたつき・段差を効率よく把握したい", ("sewerage", "road"),
                  "騒音の苦情が多い。約8,000基のマンホール蓋の段差・がたつきを車上から把握したい。"),
    _NeedTemplate("公共建築物の外壁タイルの浮きを足場なしで調査したい", ("building",),
                  "学校・庁舎の外壁タイルの定期調査で、全面打診の足場費用を抑えたい。"),
    _NeedTemplate("砂防堰堤の損傷を上空から点検したい", ("sabo",),
                  "山間部で接近が難しい砂防堰堤の袖部・水通し部の損傷を、上空から記録・比較したい。"),
    _NeedTemplate("道路の路面下空洞を調査したい", ("road",),
                  "埋設管の周辺で陥没が続いている。緊急輸送道路（約40km）の路面下の空洞を調べたい。"),
    _NeedTemplate("橋梁の塩害による鋼材腐食の進行を把握したい", ("bridge", "coast"),
                  "海岸部のコンクリート橋で塩害が疑われる。はつらずに内部鋼材の腐食の進行を推定したい。"),
    _NeedTemplate("少ない技術職員で道路・公園の維持管理を包括的に委託したい", ("road", "park", "other"),
                  "技術職員が3名しかいない。複数施設をまとめて民間に委託する際の仕様・評価方法の助言がほしい。"),
    _NeedTemplate("冬期の橋梁伸縮装置の損傷を早期に把握したい", ("bridge", "road"),
                  "除雪作業で伸縮装置が損傷しやすい。路面から損傷を早期に発見し、事故を防ぎたい。"),
)

# Two spellings of one company are kept as a pair (same company, different forms).
_SEEDS: tuple[_SeedTemplate, ...] = (
    _SeedTemplate("株式会社ミライ計測", "UAVレーザー測量による堤防・河道の変状把握",
                  "ドローン搭載のレーザースキャナで堤防天端・法面の3次元点群を取得し、前回計測との差分から変状を抽出する。",
                  ("river", "sabo"), "KT-230045-A", "mirai-keisoku.example.co.jp"),
    _SeedTemplate("（株）ミライ計測", "小型UAVによる橋梁床版下面の近接撮影",
                  "球体ガードを付けた小型ドローンで桁間に入り、床版下面・支承部を撮影。画像から損傷図を作成する。",
                  ("bridge",), None, "mirai-keisoku.example.co.jp"),
    _SeedTemplate("株式会社ブリッジケア", "橋面薄層舗装の高耐久打ち替え工法",
                  "樹脂系の接着層と高耐久混合物で、橋面の薄層舗装を一晩で打ち替える。再劣化までの期間を延ばす。",
                  ("bridge", "road"), "CG-210012-A", "bridgecare.example.co.jp"),
    _SeedTemplate("㈱ブリッジケア", "常温硬化型の床版防水補修材",
                  "常温で硬化する防水材を部分補修に用い、通行規制時間を短縮する。",
                  ("bridge",), None, "bridgecare.example.co.jp"),
    _SeedTemplate("株式会社アクアスキャン", "管内走行カメラとAIによる下水道管路スクリーニング",
                  "自走式の簡易カメラで管内を撮影し、AIがクラック・浸入水・木根を判定。詳細調査の優先順位付けに使う。",
                  ("sewerage",), "KT-220188-A"),
    _SeedTemplate("㈱ジオサーベイ西日本", "地中レーダ探査車による路面下空洞調査",
                  "時速40kmで走行しながら地中レーダで路面下を探査し、空洞の疑いのある箇所を抽出する。",
                  ("road",), "QS-200077-A"),
    _SeedTemplate("株式会社スカイアイ", "SAR衛星データによる地盤・構造物の変位モニタリング",
                  "合成開口レーダ衛星の干渉解析で、広域の地盤・堤防・法面のミリ単位の変位を継続的に監視する。",
                  ("river", "road", "sabo")),
    _SeedTemplate("ロードテック株式会社", "スマートフォン搭載型路面性状計測システム",
                  "パトロール車のダッシュボードに置いたスマートフォンで、ひび割れ・わだち掘れ・平たん性を記録する。",
                  ("road",), "HR-230101-A"),
    _SeedTemplate("合同会社インフラデータラボ", "道路施設台帳・点検・修繕履歴の一元管理クラウド",
                  "台帳・点検結果・修繕履歴・住民要望を地図上で一元管理。タブレットで現場から入力できる。",
                  ("road", "bridge", "park")),
    _SeedTemplate("株式会社トンネルビジョン", "走行型画像計測によるトンネル覆工の変状抽出",
                  "一般車両と同じ速度で走行しながら覆工表面を高解像度で撮影し、ひび割れ・うき・漏水を抽出する。",
                  ("tunnel",), "TH-190033-A"),
    _SeedTemplate("株式会社みずもり", "相関式センサーによる漏水探知サービス",
                  "消火栓・仕切弁に設置したセンサーの相関解析で、昼間でも漏水位置を数mの精度で推定する。",
                  ("water_supply",), "CB-220054-A"),
    _SeedTemplate("株式会社サビナイ", "常温施工可能な防食塗装システム",
                  "素地調整を簡略化できる防食塗料で、歩道橋・付属物の塗替えを足場を抑えて行う。",
                  ("bridge", "port")),
    _SeedTemplate("有限会社ヤマト測器", "傾斜センサーとLPWAによる法面監視",
                  "電池駆動の傾斜センサーをLPWA通信でつなぎ、閾値を超えたら担当者に通知する。",
                  ("road", "sabo"), "SK-210090-A"),
    _SeedTemplate("株式会社シーウォール", "水中ドローンによる港湾構造物の点検",
                  "小型の水中ドローンで桟橋・岸壁の没水部と上部工下面を撮影し、損傷を記録する。",
                  ("port", "coast")),
    _SeedTemplate("株式会社アイ・ティ・エス", "AI画像診断による舗装ひび割れの自動検出",
                  "車載カメラの画像からひび割れ率を自動算出し、修繕候補区間を地図に示す。",
                  ("road",)),
    _SeedTemplate("ﾎｸﾄｴﾝｼﾞﾆｱﾘﾝｸﾞ株式会社", "打音検査の自動化ロボット",
                  "ハンマリング音を収録・解析するロボットアームで、覆工・床版のうきを定量的に判定する。",
                  ("tunnel", "bridge"), "HK-200021-A"),
    _SeedTemplate("株式会社グリーンパークス", "公園遊具の点検アプリと劣化判定支援",
                  "写真と判定基準の例示で、職員の日常点検の結果を統一。点検履歴を台帳と連携する。",
                  ("park",)),
    _SeedTemplate("株式会社テラヘルツ・ラボ", "赤外線サーモグラフィによる外壁タイル浮き調査",
                  "ドローン搭載の赤外線カメラで外壁の温度分布を撮影し、タイル浮きの範囲を推定する。",
                  ("building",), "KK-220140-A"),
    _SeedTemplate("株式会社ポンプドクター", "振動解析によるポンプ設備の故障予兆検知",
                  "軸受けに取り付けた振動センサーのデータを解析し、異常の兆候をメールで知らせる。",
                  ("river", "sewerage")),
    _SeedTemplate("東和防災技研株式会社", "3次元点群による砂防堰堤の損傷評価",
                  "UAV写真測量の点群を前回と比較し、袖部・水通し部の摩耗・欠損を定量評価する。",
                  ("sabo",), "CB-190066-A"),
    _SeedTemplate("株式会社マンホールテック", "車載カメラによるマンホール蓋の段差計測",
                  "走行しながらマンホール蓋と路面の段差・がたつきを計測し、交換の優先度を示す。",
                  ("sewerage", "road")),
    _SeedTemplate("株式会社コーストラボ", "護岸背面空洞の非破壊探査",
                  "護岸天端から電磁波・弾性波を併用して背面の空洞を探査し、陥没の危険箇所を示す。",
                  ("coast", "port")),
    _SeedTemplate("株式会社エスケー・センシング", "電気化学的手法による鉄筋腐食の推定",
                  "はつらずにコンクリート表面から自然電位・分極抵抗を測り、鉄筋腐食の進行を推定する。",
                  ("bridge", "coast"), "QS-230019-A"),
    _SeedTemplate("みちのく建設コンサルタント株式会社", "包括的民間委託の導入支援",
                  "複数施設・複数年の包括的委託について、業務範囲・性能規定・評価方法の設計を支援する。",
                  ("road", "park", "other")),
)
_COMPANY_PAIRS: tuple[tuple[int, int], ...] = ((0, 1), (2, 3))

_DROP_NOTES = (
    "費用が予算に合わず見送り",
    "現場条件（狭隘部・水深）に適用できないため中止",
    "担当課の体制変更により一旦中止",
)
_IMPLEMENT_NOTES = ("次年度から本格導入", "修繕計画に位置づけて全域に展開", "点検業務の仕様書に採用")
_TRIAL_RESULTS = (
    "従来手法と比べて点検時間を約4割短縮できることを確認した。",
    "検出精度は実用水準。冬期に再試行して季節による差を確認する。",
    "費用面の課題が残るが、職員の負担軽減の効果を確認した。",
    "試験施工後の追跡調査で、ひび割れ・剥離は見られない。",
)
_SUPPORT_NOTES: dict[str, tuple[str, ...]] = {
    "needs_hearing": ("施設管理上の課題のヒアリング（道路・橋梁）", "次年度ニーズ調査に向けた聞き取り"),
    "visit": ("フォーラムの活動紹介と意見交換", "首長表敬訪問と市区町村長会議への参画の呼びかけ"),
    "hands_on_advice": ("新技術導入のハンズオン支援（アドバイザー派遣）", "橋梁長寿命化修繕計画の見直しへの助言"),
    "consultation": ("よろず相談: 点検結果の判定区分について", "よろず相談: 包括的民間委託の発注方法について"),
}
_SUPPORT_KIND_CYCLE = ("needs_hearing", "visit", "hands_on_advice", "consultation", "visit", "consultation")
_OVERSEAS_COUNTRIES: tuple[tuple[str, str], ...] = (
    ("VN", "ベトナム交通運輸省との橋梁維持管理に関する意見交換"),
    ("PH", "フィリピン公共事業道路省への点検技術の紹介"),
    ("ID", "インドネシアの地方政府向けインフラメンテナンス研修"),
    ("TH", "タイ地方道路局との技術交流"),
    ("VN", "ホーチミン市での日本企業の技術展示への協力"),
    ("MN", "モンゴル道路局の技術者受け入れ研修"),
)
_VENUES = ("中央公民館", "文化会館 会議室", "商工会議所 ホール", "庁舎 大会議室", "市民交流センター")
_SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田")
_GIVEN = ("健一", "誠", "直樹", "陽子", "美咲", "大輔", "翔太", "恵", "裕子", "拓也")
_DEPARTMENTS = ("建設部 道路維持課", "都市整備部 土木管理課", "上下水道局 施設課", "建設課 維持管理係", "農林土木課")

# The national forums have no entries in the regional plan: a few typical events of theirs.
_NATIONAL_EVENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "innovative_tech": (
        ("革新的技術フォーラム 技術セミナー「AI・ロボットによる点検の最前線」", "9月", "インフラメンテナンス大賞受賞技術の紹介と自治体職員との意見交換"),
        ("第5回革新的技術マッチングイベント", "第3四半期", "自治体ニーズに対する革新的技術のマッチング"),
    ),
    "overseas": (
        ("海外展開セミナー（ベトナム・ハノイ）", "10月頃", "日本のメンテナンス技術の紹介と現地企業との交流"),
        ("海外市場展開フォーラム 会員向け勉強会", "2月", "海外案件の動向と参入事例の共有"),
    ),
    "municipal_support": (
        ("インフラメンテナンス市区町村長会議 全国会議での活動報告", "5月", "自治体支援フォーラムの取組の報告"),
        ("自治体支援フォーラム シンポジウム", "11月", "小規模自治体の維持管理体制をテーマにした討論"),
    ),
    "engineer_training": (
        ("若手技術者向け 橋梁維持管理講習会", "8月上旬", "点検・診断の基礎と実橋での演習"),
        ("小学校への出前授業「橋のお医者さん」", "10月～11月", "小学生を対象にした橋の点検体験"),
    ),
    "citizen": (
        ("市民参画ワークショップ「みんなで道路を点検しよう」", "7月", "市民による道路の不具合の通報と点検の体験"),
        ("インフラメンテナンス市民フォーラム", "第4四半期", "市民・学生・自治体によるインフラの将来を考える討論"),
    ),
}


# -- building the records ---------------------------------------------------------------------


@dataclass
class _Item:
    entity: str
    owner: str
    id: str
    data: dict[str, Any]


@dataclass
class _Batch:
    items: list[_Item] = field(default_factory=list)

    def add(self, entity: str, owner: str, data: dict[str, Any]) -> str:
        item = _Item(entity, owner, str(uuid.uuid4()), data)
        self.items.append(item)
        return item.id


@dataclass(frozen=True)
class PlanEntry:
    org: str
    title: str
    planned: str
    description: str
    event_type: str | None = None


def plan_entries() -> list[PlanEntry]:
    """The 58 FY2024 entries of the regional forums' plan, in the order of the file."""
    with open(resource_path(PLAN_FILE), encoding="utf-8") as f:
        raw = json.load(f)
    return [PlanEntry(e["org"], e["title"], e["planned"], e.get("description") or "") for e in raw["events"]]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _random_day(rng: random.Random, lo: dt.date, hi: dt.date, *, weekday: bool = True) -> dt.date:
    """A day in lo … hi, a weekday where one can be found."""
    span = max((hi - lo).days, 0)
    day = lo + dt.timedelta(days=rng.randint(0, span))
    if weekday:
        for _ in range(8):
            if day.weekday() < 5 and not _is_year_end_holiday(day):
                break
            day = lo + dt.timedelta(days=rng.randint(0, span))
    return day


def _is_year_end_holiday(day: dt.date) -> bool:
    """年末年始 (12-29 … 01-03), when municipal offices are closed."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def _month_day(rng: random.Random, year: int, month: int, lo: int = 1, hi: int = 28) -> dt.date:
    return _random_day(rng, dt.date(year, month, lo), dt.date(year, month, hi))


class _ForumBuilder:
    """The demo records of one forum (or national forum), drawn from ``Random(forum)``."""

    def __init__(self, ctx: AppContext, batch: _Batch, forum: str, today: dt.date) -> None:
        self.ctx = ctx
        self.batch = batch
        self.forum = forum
        self.today = today
        self.current_fy = fiscal_year_of(today)
        self.rng = random.Random(forum)
        self.org = ORGS[forum]
        registry = ctx.registry
        if self.org.kind is OrgKind.REGIONAL_FORUM:
            prefs = registry.prefectures_of_block(forum)
        else:
            prefs = registry.prefectures()
        self.prefectures: list[LocalGovernment] = prefs
        self.municipalities: list[LocalGovernment] = [
            m for p in prefs for m in registry.municipalities_of(p.pref_code)
        ]
        self.pitch_event: tuple[str, dt.date] | None = None

    # events -----------------------------------------------------------------------------

    def _named_lgs(self, text: str) -> list[str]:
        """Codes of the block's prefectures and municipalities that a title or description names."""
        found: list[str] = []
        for lg in (*self.prefectures, *self.municipalities):
            if len(lg.name) >= 2 and lg.name in text and lg.lg_code not in found:
                found.append(lg.lg_code)
        return found

    def _lg_codes(self, entry: PlanEntry) -> list[str]:
        named = self._named_lgs(entry.title + " " + entry.description)
        wanted = self.rng.randint(1, 4)
        codes = [c for c in named if c[2:5] != "000"][:wanted] or named[:1]
        pool = self.municipalities
        # A title naming a prefecture (自治体訪問活動（福島県内）) draws from that prefecture.
        pref_codes = [c[:2] for c in named if c[2:5] == "000"]
        if pref_codes:
            pool = [m for m in self.municipalities if m.pref_code in pref_codes] or pool
        wanted = min(wanted, len(codes) + len(pool))
        while len(codes) < wanted:
            code = self.rng.choice(pool).lg_code
            if code not in codes:
                codes.append(code)
        return codes

    def _held_span(self, planned: PlannedDate, event_type: str) -> tuple[dt.date, dt.date]:
        assert planned.start is not None and planned.end is not None
        start, end = planned.start, planned.end
        if planned.precision == "day":
            return start, end
        span = (end - start).days
        if span > 45 and event_type in ("meeting", "other", "municipality_visit", "mayors_council_meeting"):
            # Work that runs through the period (通年、4月～3月).
            held_from = start + dt.timedelta(days=self.rng.randint(0, 14))
            held_to = end - dt.timedelta(days=self.rng.randint(0, 14))
            return held_from, max(held_from, held_to)
        held_from = _random_day(self.rng, start, end)
        if event_type in ("forum", "exhibition") and held_from < end and self.rng.random() < 0.3:
            return held_from, held_from + dt.timedelta(days=1)
        return held_from, held_from

    def _event(
        self,
        entry: PlanEntry,
        fy: int,
        *,
        fate: str,
        title: str | None = None,
        planned_text: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """One event; ``fate`` is held, cancelled, postponed, planned or confirmed."""
        title = title or entry.title
        event_type = entry.event_type or infer_event_type(title)
        planned = parse_planned(planned_text or entry.planned, fy)
        data: dict[str, Any] = {
            "title": title,
            "event_type": event_type,
            "planned": planned.to_dict(),
            "status": fate,
            "description": entry.description or None,
            "series_no": series_no(title),
            "lg_codes": [],
            "counts_as_forum": event_type in FORUM_EVENT_TYPES,
        }
        if fate == "held":
            held_from, held_to = self._held_span(planned, event_type)
            codes = self._lg_codes(entry)
            lg = self.ctx.registry.get(codes[0])
            data.update(
                held_from=held_from.isoformat(),
                held_to=held_to.isoformat(),
                lg_codes=codes,
                participants=self.rng.randint(12, 180),
                venue=f"{lg.full_name} {self.rng.choice(_VENUES)}" if lg else None,
            )
        return self.batch.add("events", self.forum, data), data

    def events(self, entries: Sequence[PlanEntry]) -> None:
        rng, today = self.rng, self.today
        pitch_index = next((i for i, e in enumerate(entries) if infer_event_type(e.title) == "pitch_event"), None)
        # FY2024 (令和6年度): the plan as it turned out.
        for index, entry in enumerate(entries):
            planned = parse_planned(entry.planned, PLAN_FISCAL_YEAR)
            roll = rng.random()
            if index == pitch_index:
                fate = "held"
            elif planned.precision == "undecided":
                fate = "held" if roll < 0.5 else ("postponed" if roll < 0.8 else "cancelled")
            else:
                fate = "cancelled" if roll < 0.06 else ("postponed" if roll < 0.12 else "held")
            if fate == "held" and planned.start is not None and planned.start > today:
                fate = "planned"
            event_id, data = self._event(entry, PLAN_FISCAL_YEAR, fate=fate)
            if fate == "held" and data["held_to"] > today.isoformat():
                data.update(status="planned", held_from=None, held_to=None, lg_codes=[], participants=None, venue=None)
            if index == pitch_index and data["status"] == "held":
                self.pitch_event = (event_id, dt.date.fromisoformat(data["held_from"]))
        if self.pitch_event is None:
            entry = PlanEntry(self.forum, f"{self.org.short_name}ピッチイベント（令和6年度）", "第3四半期",
                              "自治体ニーズに対応したシーズ技術のプレゼンテーション", "pitch_event")
            event_id, data = self._event(entry, PLAN_FISCAL_YEAR, fate="held")
            if data["held_to"] <= today.isoformat():
                self.pitch_event = (event_id, dt.date.fromisoformat(data["held_from"]))
            else:
                data.update(status="planned", held_from=None, held_to=None, lg_codes=[], participants=None, venue=None)
        if self.current_fy == PLAN_FISCAL_YEAR:
            return
        # The current fiscal year: the same plan, re-planned.
        upcoming = overdue = False
        horizon = today + dt.timedelta(days=60)
        passed_seen = 0
        for entry in entries:
            text = shift_years(entry.planned, self.current_fy)
            planned = parse_planned(text, self.current_fy)
            roll = rng.random()
            if planned.precision == "day" or (planned.precision in ("dekad", "month") and roll < 0.3):
                fate = "confirmed"
            else:
                fate = "planned"
            passed = planned.end is not None and planned.end < today
            if passed:
                passed_seen += 1
                # Partly held; the rest stay unmarked (overdue), at least one where two have passed.
                if rng.random() < 0.6 and not (passed_seen >= 2 and not overdue):
                    fate = "held"
            title = shift_years(entry.title, self.current_fy)
            _, data = self._event(entry, self.current_fy, fate=fate, title=title, planned_text=text)
            if fate == "held" and data["held_to"] > today.isoformat():
                data.update(status="planned", held_from=None, held_to=None, lg_codes=[], participants=None, venue=None)
            if data["status"] in ("planned", "confirmed"):
                if passed:
                    overdue = True
                elif planned.start is not None and planned.start <= horizon:
                    upcoming = True
        if not upcoming:
            # The dashboard's 「今後60日の予定」 should never be empty in the demo.
            day = today + dt.timedelta(days=rng.randint(10, 50))
            entry = PlanEntry(self.forum, f"{self.org.name} 運営会議", f"{day.month}月{day.day}日",
                              "年度後半の活動計画と実施状況の確認", "meeting")
            self._event(entry, fiscal_year_of(day), fate="confirmed")

    # needs, seeds, matchings, trials -------------------------------------------------------

    def _contact(self, domain: str | None = None) -> dict[str, Any]:
        rng = self.rng
        surname = rng.choice(_SURNAMES)
        romaji = f"user{rng.randint(100, 999)}"
        return {
            "name": f"{surname} {rng.choice(_GIVEN)}",
            "department": rng.choice(_DEPARTMENTS) if domain is None else rng.choice(("営業部", "技術開発部", "インフラ事業部")),
            "email": f"{romaji}@{domain or 'city.example.lg.jp'}",
            "phone": f"0{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        }

    def _matching_plans(self) -> list[list[tuple[str, dt.date, str | None]]]:
        """Ten stage histories at various points of the pipeline (before cutting at today)."""
        rng = self.rng

        def d(y: int, m: int) -> dt.date:
            return _month_day(rng, y, m)

        cur_start, _ = fiscal_year_bounds(self.current_fy)
        latest = max(cur_start, dt.date(2025, 12, 31)) + dt.timedelta(days=rng.randint(20, 150))
        return [
            [("considered", d(2024, 5), None), ("established", d(2024, 8), None),
             ("implemented", d(2025, 2), rng.choice(_IMPLEMENT_NOTES))],
            [("considered", d(2024, 6), None), ("established", d(2024, 10), None)],
            [("considered", d(2024, 6), None), ("dropped", d(2024, 10), rng.choice(_DROP_NOTES)),
             ("considered", d(2025, 5), "予算の確保にともない再検討")],
            [("considered", d(2024, 7), None), ("dropped", d(2024, 12), rng.choice(_DROP_NOTES))],
            [("considered", d(2024, 9), None)],
            [("considered", d(2024, 12), None), ("established", d(2025, 3), None),
             ("implemented", d(2025, 10), rng.choice(_IMPLEMENT_NOTES))],
            [("considered", dt.date(2025, 3, 31), "年度末の意見交換会で検討開始"),
             ("established", dt.date(2025, 4, 1), "新年度予算で試行を決定")],
            [("considered", d(2025, 6), None), ("established", d(2025, 9), None)],
            [("considered", d(2025, 12), None)],
            [("considered", latest, None)],
        ]

    def small_set(self) -> None:
        rng, today, forum = self.rng, self.today, self.forum
        need_templates = rng.sample(_NEEDS, 12)
        pair = _COMPANY_PAIRS[rng.randrange(len(_COMPANY_PAIRS))]
        others = [i for i in range(len(_SEEDS)) if i not in pair]
        seed_indexes = [*pair, *rng.sample(others, 8)]
        rng.shuffle(seed_indexes)
        seed_templates = [_SEEDS[i] for i in seed_indexes]

        # Pair needs with seeds of the same facility types where possible.
        plans = self._matching_plans()
        matched_need = [0, 1, 2, 3, 1, 4, 5, 6, 7, 8]  # the 5th reuses the 2nd's need with another seed
        seed_uses = [0] * len(seed_templates)
        pairs: list[tuple[int, int]] = []
        for n in matched_need:
            types = set(need_templates[n].facility_types)
            taken = {s for nn, s in pairs if nn == n}
            candidates = [s for s in range(len(seed_templates)) if s not in taken]
            fitting = [s for s in candidates if types & set(seed_templates[s].facility_types)] or candidates
            best = min(seed_uses[s] for s in fitting)
            s = rng.choice([s for s in fitting if seed_uses[s] == best])
            seed_uses[s] += 1
            pairs.append((n, s))

        # Cut every history at today; a pairing not yet begun is left out.
        histories = [[st for st in plan if st[1] <= today] for plan in plans]
        first_on: dict[int, dt.date] = {}
        seed_first: dict[int, dt.date] = {}
        for (n, s), history in zip(pairs, histories):
            if history:
                first_on[n] = min(first_on.get(n, history[0][1]), history[0][1])
                seed_first[s] = min(seed_first.get(s, history[0][1]), history[0][1])

        # Needs.
        fy24_start = fiscal_year_bounds(PLAN_FISCAL_YEAR)[0]
        need_ids: list[str | None] = []
        need_lgs: list[str] = []
        data: dict[str, Any]
        for n, need_t in enumerate(need_templates):
            if n in first_on:
                received = max(fy24_start, first_on[n] - dt.timedelta(days=rng.randint(10, 60)))
                received = min(received, first_on[n])
            else:
                lo = dt.date(2025, 10, 1) if n % 2 else fiscal_year_bounds(self.current_fy)[0]
                received = _random_day(rng, min(lo, today), today)
            lg = rng.choice(self.municipalities)
            need_lgs.append(lg.lg_code)
            if received > today or received < fy24_start and n not in first_on:
                need_ids.append(None)
                continue
            stages_of_need = [h for (nn, _), h in zip(pairs, histories) if nn == n and h]
            last = [h[-1][0] for h in stages_of_need]
            if "implemented" in last:
                status = "resolved"
            elif any(code in ("considered", "established") for code in last):
                status = "matching"
            elif last:
                status = "withdrawn"
            else:
                status = "open"
            fy = fiscal_year_of(received)
            survey = f"第{6 + fy - PLAN_FISCAL_YEAR}回ニーズ調査" if rng.random() < 0.5 else None
            data = {
                "lg_code": lg.lg_code,
                "title": need_t.title,
                "facility_types": list(need_t.facility_types),
                "requirements": need_t.requirements,
                "received_on": received.isoformat(),
                "survey": survey,
                "status": status,
                "contact": self._contact() if rng.random() < 0.5 else None,
            }
            need_ids.append(self.batch.add("needs", forum, data))

        # Seeds.
        seed_ids: list[str] = []
        for s, seed_t in enumerate(seed_templates):
            if s in seed_first:
                registered = seed_first[s] - dt.timedelta(days=rng.randint(20, 150))
            else:
                registered = _random_day(rng, fy24_start, today)
            data = {
                "company": seed_t.company,
                "tech_name": seed_t.tech_name,
                "summary": seed_t.summary,
                "facility_types": list(seed_t.facility_types),
                "netis_no": seed_t.netis_no,
                "registered_on": registered.isoformat(),
                "contact": self._contact(seed_t.domain) if rng.random() < 0.4 else None,
            }
            seed_ids.append(self.batch.add("seeds", forum, data))

        # The pitch event's presentations: seeds of pairings that began after it.
        pitch_of_matching: dict[int, str] = {}
        if self.pitch_event is not None:
            pitch_id, pitch_on = self.pitch_event
            after = sorted(
                (m for m, h in enumerate(histories) if h and h[0][1] > pitch_on and need_ids[pairs[m][0]]),
                key=lambda m: histories[m][0][1],
            )
            presented: list[tuple[int, int | None]] = []
            for m in after:
                if len(presented) == 3:
                    break
                if all(pairs[m][1] != s for s, _ in presented):
                    presented.append((pairs[m][1], pairs[m][0]))
                    pitch_of_matching[m] = pitch_id
            spare = [s for s in range(len(seed_ids)) if all(s != p for p, _ in presented)]
            while len(presented) < 3 and spare:
                presented.append((spare.pop(rng.randrange(len(spare))), None))
            for order, (p_seed, p_need) in enumerate(presented, start=1):
                need_id = need_ids[p_need] if p_need is not None else None
                self.batch.add("pitch_presentations", forum, {
                    "event_id": pitch_id,
                    "seed_id": seed_ids[p_seed],
                    "need_id": need_id,
                    "order": order,
                    "note": "質疑で適用条件と費用について自治体から質問あり" if need_id else None,
                })

        # Matchings.
        matching_ids: list[str | None] = []
        for m, ((n, s), history) in enumerate(zip(pairs, histories)):
            need_id = need_ids[n]
            if not history or need_id is None:
                matching_ids.append(None)
                continue
            stages = [{"stage": code, "on": on.isoformat(), **({"note": note} if note else {})} for code, on, note in history]
            matching_ids.append(self.batch.add("matchings", forum, {
                "need_id": need_id,
                "seed_id": seed_ids[s],
                "pitch_event_id": pitch_of_matching.get(m),
                "stages": stages,
            }))

        # Trials of established pairings: the earlier ones held, the last one planned.
        established = [
            m for m, h in enumerate(histories)
            if matching_ids[m] and any(code == "established" for code, _, _ in h)
        ]
        for position, m in enumerate(established[:5]):
            n, s = pairs[m]
            est_on = next(on for code, on, _ in histories[m] if code == "established")
            day = est_on + dt.timedelta(days=rng.randint(30, 100))
            is_last = position == min(len(established), 5) - 1
            if is_last or day > today:
                day = today + dt.timedelta(days=rng.randint(20, 90))
            fy = fiscal_year_of(day)
            text = f"未定 ({day.month}月)" if rng.random() < 0.4 else f"{day.month}月頃"
            planned = parse_planned(text, fy)
            trial_lg = self.ctx.registry.get(need_lgs[n])
            place = trial_lg.name if trial_lg else self.org.short_name
            data = {
                "title": f"{seed_templates[s].tech_name}の現場試行（{place}）",
                "lg_code": need_lgs[n],
                "matching_id": matching_ids[m],
                "need_id": need_ids[n],
                "seed_id": seed_ids[s],
                "pitch_event_id": pitch_of_matching.get(m),
                "planned": planned.to_dict(),
                "status": "planned",
            }
            if day <= today:
                assert planned.end is not None
                held_to = min(day + dt.timedelta(days=rng.randint(0, 2)), planned.end, today)
                data.update(
                    status="held", held_from=day.isoformat(), held_to=held_to.isoformat(),
                    result=rng.choice(_TRIAL_RESULTS),
                )
            self.batch.add("trials", forum, data)

        # Support activities.
        spans = [
            (dt.date(2024, 4, 15), dt.date(2024, 9, 30)),
            (dt.date(2024, 7, 1), dt.date(2024, 12, 20)),
            (dt.date(2024, 10, 1), dt.date(2025, 3, 15)),
            (dt.date(2025, 4, 10), dt.date(2025, 9, 30)),
            (dt.date(2025, 10, 1), dt.date(2026, 3, 15)),
            (fiscal_year_bounds(self.current_fy)[0] + dt.timedelta(days=10), today),
        ]
        for index, (kind, (lo, hi)) in enumerate(zip(_SUPPORT_KIND_CYCLE, spans)):
            hi = min(hi, today)
            if lo > hi:
                continue
            on = _random_day(rng, lo, hi)
            data = {"kind": kind, "on": on.isoformat(), "lg_code": None, "country": None, "note": None}
            if forum == "overseas":
                country, note = _OVERSEAS_COUNTRIES[index % len(_OVERSEAS_COUNTRIES)]
                data.update(country=country, note=note)
            else:
                data.update(lg_code=rng.choice(self.municipalities).lg_code, note=rng.choice(_SUPPORT_NOTES[kind]))
            self.batch.add("support_activities", forum, data)


# -- the secretariat's master data ------------------------------------------------------------


def _secretariat_master(ctx: AppContext, batch: _Batch, today: dt.date) -> None:
    """行政会員・市区町村長会議 status of every municipality (as of 2024-03-18) and the targets."""
    rng = random.Random(SECRETARIAT)
    codes = [m.lg_code for m in ctx.registry.municipalities()]
    shuffled = codes[:]
    rng.shuffle(shuffled)
    admin = set(shuffled[:ADMIN_MEMBERS])
    # Participation in the mayors' council mostly overlaps with membership.
    members, others = shuffled[:ADMIN_MEMBERS], shuffled[ADMIN_MEMBERS:]
    from_others = min(len(others), MAYORS_COUNCIL_MEMBERS // 12)
    mayors = set(rng.sample(members, MAYORS_COUNCIL_MEMBERS - from_others)) | set(rng.sample(others, from_others))
    as_of = STATUS_AS_OF.isoformat()
    for code in codes:
        batch.add("municipality_status", SECRETARIAT, {
            "lg_code": code, "admin_member": code in admin, "mayors_council": code in mayors, "as_of": as_of,
        })
    for fy in sorted({PLAN_FISCAL_YEAR, fiscal_year_of(today)}):
        for code, target in kpi.FY2024_TARGETS.items():
            value: float | int = int(target) if code not in ("mayors_council_rate", "admin_member_rate") else float(target)
            batch.add("kpi_targets", SECRETARIAT, {"fiscal_year": fy, "kpi": code, "target": value})


# -- writing ----------------------------------------------------------------------------------


def _resolve(data: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    out = dict(data)
    for key in _REFERENCE_FIELDS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = ids.get(value, value)
    return out


def _installation_of(owner: str) -> str:
    """The UUID of the simulated installation that 'wrote' another organisation's records."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"jcim-demo:{owner}"))


def _write(ctx: AppContext, batch: _Batch) -> None:
    """Check everything, then write: own records through the services, others' as envelopes."""
    # Validate all first, so that bad demo data writes nothing.
    cleaned = {id(item): records.clean(ctx, item.entity, item.data) for item in batch.items}
    ids: dict[str, str] = {}
    millis = time.time_ns() // 1_000_000
    for entity in _ENTITY_ORDER:
        groups: dict[str, list[_Item]] = {}
        for item in batch.items:
            if item.entity == entity:
                groups.setdefault(item.owner, []).append(item)
        foreign: list[dict[str, Any]] = []
        for owner, items in groups.items():
            if ctx.can_write(owner):
                created = records.create_many(ctx, entity, [_resolve(i.data, ids) for i in items], owner=owner)
                ids.update({i.id: r.id for i, r in zip(items, created)})
                continue
            installation = _installation_of(owner)
            for item in items:
                envelope = {
                    "id": item.id,
                    "owner": owner,
                    "hlc": f"{millis:013d}-00000-{installation}",
                    "vv": {installation: 1},
                    "deleted": False,
                    "data": _resolve(cleaned[id(item)], ids),
                }
                foreign.append(envelope_row(entity, envelope))
        if foreign:
            with ctx.db.engine.begin() as conn:
                upsert_rows(conn, entity, foreign)


def is_loaded(ctx: AppContext) -> bool:
    """Whether any event exists (demo data, or real data, is already there)."""
    with ctx.reading() as session:
        return session.execute(select(Event.id).limit(1)).first() is not None


def _has_master(ctx: AppContext) -> bool:
    with ctx.reading() as session:
        return session.execute(select(MunicipalityStatus.id).limit(1)).first() is not None


def demo_forums(org: str) -> list[str]:
    """The forums whose demo records an installation of ``org`` loads."""
    kind = ORGS[org].kind
    if kind is OrgKind.SECRETARIAT:
        return [*REGIONAL_FORUMS, *NATIONAL_FORUMS]
    if kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM):
        return [org]
    return []


def load_demo(ctx: AppContext, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with demo data; returns 〈Japanese label → records loaded〉.

    Raises ``UserError`` (and writes nothing) if events exist already.
    """
    today = today or dt.date.today()
    forums = demo_forums(ctx.org)
    if is_loaded(ctx) or (not forums and _has_master(ctx)):
        raise UserError(ALREADY_LOADED)
    entries = plan_entries()
    national_entries = {
        org: [PlanEntry(org, title, planned, description) for title, planned, description in items]
        for org, items in _NATIONAL_EVENTS.items()
    }
    batch = _Batch()
    for forum in forums:
        builder = _ForumBuilder(ctx, batch, forum, today)
        own = [e for e in entries if e.org == forum] or national_entries.get(forum, [])
        builder.events(own)
        builder.small_set()
    _secretariat_master(ctx, batch, today)
    _write(ctx, batch)
    summary: dict[str, int] = {}
    for entity in _ENTITY_ORDER:
        summary[ENTITY_LABELS[entity]] = sum(1 for item in batch.items if item.entity == entity)
    return summary
