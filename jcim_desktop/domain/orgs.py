"""Organisations (SYNC_FORMAT §1): codes, names, kinds, and who may write whose records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class OrgKind(str, Enum):
    REGIONAL_FORUM = "regional_forum"
    NATIONAL_FORUM = "national_forum"
    COMMITTEE = "committee"
    SECRETARIAT = "secretariat"

    @property
    def label(self) -> str:
        return {
            OrgKind.REGIONAL_FORUM: "地方フォーラム",
            OrgKind.NATIONAL_FORUM: "全国フォーラム",
            OrgKind.COMMITTEE: "部会・会議",
            OrgKind.SECRETARIAT: "事務局",
        }[self]


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    short_name: str
    kind: OrgKind

    @property
    def is_forum(self) -> bool:
        return self.kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM)


_ORGS: tuple[Org, ...] = (
    Org("hokkaido", "北海道フォーラム", "北海道", OrgKind.REGIONAL_FORUM),
    Org("tohoku", "東北フォーラム", "東北", OrgKind.REGIONAL_FORUM),
    Org("kanto", "関東フォーラム", "関東", OrgKind.REGIONAL_FORUM),
    Org("hokuriku", "北陸フォーラム", "北陸", OrgKind.REGIONAL_FORUM),
    Org("chubu", "中部フォーラム", "中部", OrgKind.REGIONAL_FORUM),
    Org("kinki", "近畿フォーラム", "近畿", OrgKind.REGIONAL_FORUM),
    Org("chugoku", "中国フォーラム", "中国", OrgKind.REGIONAL_FORUM),
    Org("shikoku", "四国フォーラム", "四国", OrgKind.REGIONAL_FORUM),
    Org("kyushu", "九州フォーラム", "九州", OrgKind.REGIONAL_FORUM),
    Org("okinawa", "沖縄フォーラム", "沖縄", OrgKind.REGIONAL_FORUM),
    Org("innovative_tech", "革新的技術フォーラム", "革新的技術", OrgKind.NATIONAL_FORUM),
    Org("overseas", "海外市場展開フォーラム", "海外市場展開", OrgKind.NATIONAL_FORUM),
    Org("municipal_support", "自治体支援フォーラム", "自治体支援", OrgKind.NATIONAL_FORUM),
    Org("engineer_training", "技術者育成フォーラム", "技術者育成", OrgKind.NATIONAL_FORUM),
    Org("citizen", "市民参画フォーラム", "市民参画", OrgKind.NATIONAL_FORUM),
    Org("planning", "企画部会", "企画部会", OrgKind.COMMITTEE),
    Org("pr", "広報部会", "広報部会", OrgKind.COMMITTEE),
    Org("mayors_council", "インフラメンテナンス市区町村長会議", "市区町村長会議", OrgKind.COMMITTEE),
    Org("secretariat", "事務局", "事務局", OrgKind.SECRETARIAT),
)

ORGS: dict[str, Org] = {org.code: org for org in _ORGS}
ORG_CODES: tuple[str, ...] = tuple(org.code for org in _ORGS)
REGIONAL_FORUMS: tuple[str, ...] = tuple(o.code for o in _ORGS if o.kind is OrgKind.REGIONAL_FORUM)
NATIONAL_FORUMS: tuple[str, ...] = tuple(o.code for o in _ORGS if o.kind is OrgKind.NATIONAL_FORUM)
SECRETARIAT = "secretariat"


def get_org(code: str) -> Org:
    """The organisation of ``code``; ``KeyError`` if there is none."""
    return ORGS[code]


def is_org_code(code: object) -> bool:
    return isinstance(code, str) and code in ORGS


def org_name(code: str) -> str:
    org = ORGS.get(code)
    return org.name if org else code


def writable_owners(installation_org: str) -> frozenset[str]:
    """The owners whose records an installation of ``installation_org`` may write.

    A forum writes only its own records; the secretariat writes those of the national forums,
    the committees and itself (it enters their work and chooses the owner per record).
    """
    org = ORGS[installation_org]
    if org.kind is OrgKind.SECRETARIAT:
        return frozenset(
            o.code for o in _ORGS if o.kind in (OrgKind.NATIONAL_FORUM, OrgKind.COMMITTEE, OrgKind.SECRETARIAT)
        )
    return frozenset({org.code})


def can_write(installation_org: str, owner: str) -> bool:
    return owner in writable_owners(installation_org)
