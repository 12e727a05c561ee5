"""The baseline of ``jcim-desktop tally`` and ``report kpi``: the KPI tally with one aggregate SQL
statement per KPI, and (``--pdf``) a reportlab PDF of the same tables.

    python bench/_baseline_tally.py --db DATABASE.sqlite3 --fy 2024 [--pdf OUT.pdf --font FONT.ttf]

Standard library (``sqlite3`` with its JSON functions) and, for the PDF, ``reportlab`` only.
Opens the database (WAL, as the application), counts SYNC_FORMAT §5's KPIs per org for the
fiscal year (held events and trials by ``held_from``, needs by ``received_on``, support by
``on``, matching stages by their dates, membership rates from each municipality's status on the
year's last day), adds the subtotals and the year's targets, and prints the tally as JSON
(``{"fiscal_year", "kpis": {code: {"total", "national_forums", "regional_forums", "by_org",
"target"}}}``, ``distinct_total`` for supported_municipalities). With ``--pdf``: an A4 PDF
with the font embedded (TrueType subset): title, the official table (総合計 / 全国フォーラム小計 /
地方フォーラム小計, targets and achievement), the table by organisation, a bar chart of achievement
and the matching funnel — the content of the application's KPI report.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

REGIONAL = ("hokkaido", "tohoku", "kanto", "hokuriku", "chubu", "kinki", "chugoku", "shikoku", "kyushu", "okinawa")
NATIONAL = ("innovative_tech", "overseas", "municipal_support", "engineer_training", "citizen")
OTHERS = ("planning", "pr", "mayors_council", "secretariat")
ORG_NAMES = {
    "hokkaido": "北海道フォーラム", "tohoku": "東北フォーラム", "kanto": "関東フォーラム", "hokuriku": "北陸フォーラム",
    "chubu": "中部フォーラム", "kinki": "近畿フォーラム", "chugoku": "中国フォーラム", "shikoku": "四国フォーラム",
    "kyushu": "九州フォーラム", "okinawa": "沖縄フォーラム", "innovative_tech": "革新的技術フォーラム",
    "overseas": "海外市場展開フォーラム", "municipal_support": "自治体支援フォーラム",
    "engineer_training": "技術者育成フォーラム", "citizen": "市民参画フォーラム", "planning": "企画部会",
    "pr": "広報部会", "mayors_council": "インフラメンテナンス市区町村長会議", "secretariat": "事務局",
}
ORGS = (*REGIONAL, *NATIONAL, *OTHERS)
LABELS = {
    "supported_municipalities": "支援自治体数", "supported_countries": "支援国（地域）数",
    "forums_held": "フォーラム実施数", "matching_considered": "マッチング検討数",
    "matching_established": "マッチング成立数", "field_trials": "現場試行数", "implemented": "社会実装数",
    "matching_total": "マッチング・現場試行・実装実施数", "workshops": "出前授業およびワークショップ開催数",
    "mayors_council_activities": "市区町村長会議における活動実施数", "mayors_council_rate": "市区町村長会議への参画率",
    "admin_member_rate": "行政会員 加入率",
}
COUNTS = ("supported_municipalities", "supported_countries", "forums_held", "matching_considered",
          "matching_established", "field_trials", "implemented", "matching_total", "workshops",
          "mayors_council_activities")
PARTS = ("matching_considered", "matching_established", "field_trials", "implemented")
MUNICIPALITIES = 1741

HELD = "deleted = 0 AND status = 'held' AND held_from BETWEEN :start AND :end"
STAGE_IN_YEAR = ("m.deleted = 0 AND m.first_stage_on <= :end AND m.last_stage_on >= :start AND EXISTS (SELECT 1 FROM "
                 "json_each(m.stages) s WHERE json_extract(s.value, '$.on') BETWEEN :start AND :end{stage})")
PER_ORG_SQL = {
    "forums_held": f"SELECT owner, count(*) FROM events WHERE {HELD} AND counts_as_forum = 1 GROUP BY owner",
    "workshops": f"SELECT owner, count(*) FROM events WHERE {HELD} AND event_type IN ('outreach_class', 'workshop') "
                 "GROUP BY owner",
    "mayors_council_activities": f"SELECT owner, count(*) FROM events WHERE {HELD} "
                                 "AND event_type = 'mayors_council_meeting' GROUP BY owner",
    "field_trials": f"SELECT owner, count(*) FROM trials WHERE {HELD} GROUP BY owner",
    "supported_countries": "SELECT owner, count(DISTINCT country) FROM support_activities WHERE deleted = 0 "
                           "AND on_date BETWEEN :start AND :end AND country IS NOT NULL GROUP BY owner",
    **{kpi: "SELECT owner, count(*) FROM matchings m WHERE "
            + STAGE_IN_YEAR.format(stage=f" AND json_extract(s.value, '$.stage') = '{stage}'") + " GROUP BY owner"
       for kpi, stage in (("matching_considered", "considered"), ("matching_established", "established"),
                          ("implemented", "implemented"))},
}
SUPPORTED_SQL = f"""
SELECT DISTINCT owner, code FROM (
    SELECT e.owner AS owner, j.value AS code FROM events e, json_each(e.lg_codes) j
        WHERE e.deleted = 0 AND e.status = 'held' AND e.held_from BETWEEN :start AND :end
    UNION ALL SELECT owner, lg_code FROM needs WHERE deleted = 0 AND received_on BETWEEN :start AND :end
    UNION ALL SELECT owner, lg_code FROM trials WHERE {HELD}
    UNION ALL SELECT owner, lg_code FROM support_activities WHERE deleted = 0 AND on_date BETWEEN :start AND :end
        AND lg_code IS NOT NULL
    UNION ALL SELECT m.owner, n.lg_code FROM matchings m JOIN needs n ON n.id = m.need_id AND n.deleted = 0
        WHERE {STAGE_IN_YEAR.format(stage='')}
) WHERE code IS NOT NULL
"""
RATES_SQL = """
SELECT coalesce(sum(mayors_council), 0), coalesce(sum(admin_member), 0) FROM (
    SELECT mayors_council, admin_member,
           row_number() OVER (PARTITION BY lg_code ORDER BY as_of DESC, hlc DESC) AS newest
    FROM municipality_status WHERE deleted = 0 AND as_of <= :end AND substr(lg_code, 3, 3) <> '000'
) WHERE newest = 1
"""
FUNNEL_TRIALS_SQL = f"SELECT count(*) FROM trials WHERE {HELD} AND matching_id IS NOT NULL"


def tally(conn: sqlite3.Connection, fy: int) -> dict[str, Any]:
    bounds = {"start": f"{fy}-04-01", "end": f"{fy + 1}-03-31"}
    by_org: dict[str, dict[str, int]] = {}
    for kpi, sql in PER_ORG_SQL.items():
        by_org[kpi] = {owner: n for owner, n in conn.execute(sql, bounds) if owner in ORG_NAMES}
    pairs = [(owner, code) for owner, code in conn.execute(SUPPORTED_SQL, bounds) if owner in ORG_NAMES]
    supported: dict[str, int] = {}
    for owner, _ in pairs:
        supported[owner] = supported.get(owner, 0) + 1
    by_org["supported_municipalities"] = supported
    by_org["matching_total"] = {org: sum(by_org[p].get(org, 0) for p in PARTS) for org in ORGS}
    targets = dict(conn.execute("SELECT kpi, target FROM kpi_targets WHERE deleted = 0 AND fiscal_year = ?", (fy,)))
    kpis: dict[str, Any] = {}
    for kpi in COUNTS:
        per_org = {org: by_org[kpi].get(org, 0) for org in ORGS}
        kpis[kpi] = {"total": sum(per_org.values()), "national_forums": sum(per_org[o] for o in NATIONAL),
                     "regional_forums": sum(per_org[o] for o in REGIONAL), "by_org": per_org,
                     "target": targets.get(kpi)}
    kpis["supported_municipalities"]["distinct_total"] = len({code for _, code in pairs})
    mayors, members = conn.execute(RATES_SQL, bounds).fetchone()
    for kpi, numerator in (("mayors_council_rate", mayors), ("admin_member_rate", members)):
        kpis[kpi] = {"total": round(numerator / MUNICIPALITIES, 4), "numerator": numerator,
                     "denominator": MUNICIPALITIES, "target": targets.get(kpi)}
    closed = conn.execute("SELECT closed_at, closed_by, source FROM closed_tallies WHERE deleted = 0 AND fiscal_year = ?",
                          (fy,)).fetchone()
    funnel = {"considered": kpis["matching_considered"]["total"], "established": kpis["matching_established"]["total"],
              "trial": conn.execute(FUNNEL_TRIALS_SQL, bounds).fetchone()[0], "implemented": kpis["implemented"]["total"]}
    return {"fiscal_year": fy, "kpis": kpis, "closed": dict(zip(("at", "by", "source"), closed, strict=True))
            if closed else None, "funnel": funnel}


def write_pdf(result: dict[str, Any], out: Path, font: Path) -> None:
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("Gothic", str(font)))
    fy, kpis = result["fiscal_year"], result["kpis"]
    title = ParagraphStyle("title", fontName="Gothic", fontSize=16, leading=22)
    heading = ParagraphStyle("heading", fontName="Gothic", fontSize=11, leading=16, spaceBefore=6)
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), "Gothic"), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])

    def achieved(value: float, target: float | None) -> str:
        return f"{value / target:.0%}" if target else "－"

    official = [["項目", "実績", "目標", "達成率"]]
    for section, name in (("total", "総合計"), ("national_forums", "全国フォーラム小計"),
                          ("regional_forums", "地方フォーラム小計")):
        official.append([name, "", "", ""])
        for kpi in ("supported_municipalities", "supported_countries", "forums_held", "matching_total", *PARTS,
                    "workshops", "mayors_council_activities"):
            entry = kpis[kpi]
            target = entry["target"] if section == "total" else None
            indent = "　　" if kpi in PARTS else "　"
            official.append([indent + LABELS[kpi], f"{entry[section]:,}", f"{target:,.0f}" if target else "－",
                             achieved(entry[section], target)])
            if kpi == "supported_municipalities" and section == "total":
                official.append(["　支援自治体数（実数）", f"{entry['distinct_total']:,}", "－", "－"])
        if section == "total":
            for kpi in ("mayors_council_rate", "admin_member_rate"):
                entry = kpis[kpi]
                official.append(["　" + LABELS[kpi], f"{entry['total']:.1%}",
                                 f"{entry['target']:.0%}" if entry["target"] else "－",
                                 achieved(entry["total"], entry["target"])])
    by_org = [["組織", *(LABELS[k][:8] for k in COUNTS)]]
    for group, orgs in (("全国フォーラム", NATIONAL), ("地方フォーラム", REGIONAL), ("部会・事務局", OTHERS)):
        by_org.append([group] + [""] * len(COUNTS))
        for org in orgs:
            by_org.append([ORG_NAMES[org], *(f"{kpis[k]['by_org'][org]:,}" for k in COUNTS)])
        by_org.append(["小計", *(f"{sum(kpis[k]['by_org'][o] for o in orgs):,}" for k in COUNTS)])
    by_org.append(["総合計", *(f"{kpis[k]['total']:,}" for k in COUNTS)])

    bars = Drawing(170 * mm, 70 * mm)
    targeted = [k for k in (*COUNTS, "mayors_council_rate", "admin_member_rate") if kpis[k]["target"]]
    for i, kpi in enumerate(targeted):
        share = min(kpis[kpi]["total"] / kpis[kpi]["target"], 1.5)
        y = 65 * mm - (i + 1) * 6 * mm
        bars.add(String(0, y, LABELS[kpi][:14], fontName="Gothic", fontSize=7))
        bars.add(Rect(55 * mm, y, share * 70 * mm, 4 * mm, fillColor=colors.green if share >= 1 else colors.steelblue))
    bars.add(Line(125 * mm, 0, 125 * mm, 65 * mm, strokeColor=colors.red, strokeDashArray=(2, 2)))
    funnel = Drawing(170 * mm, 40 * mm)
    biggest = max(result["funnel"].values()) or 1
    for i, (step, n) in enumerate(result["funnel"].items()):
        y = 32 * mm - i * 8 * mm
        funnel.add(String(0, y, {"considered": "検討", "established": "成立", "trial": "現場試行",
                                 "implemented": "社会実装"}[step], fontName="Gothic", fontSize=8))
        funnel.add(Rect(25 * mm, y, n / biggest * 120 * mm, 5 * mm, fillColor=colors.steelblue))
        funnel.add(String(150 * mm, y, f"{n:,}", fontName="Gothic", fontSize=8))

    story = [Paragraph(f"{fy}年度 インフラメンテナンス国民会議 KPI実績報告", title), Spacer(1, 4 * mm),
             Paragraph("1．KPI実績一覧", heading), Table(official, style=style, repeatRows=1),
             Paragraph("2．組織別内訳", heading), Table(by_org, style=style, repeatRows=1),
             Paragraph("3．目標の達成状況", heading), bars, Paragraph("4．マッチングの進捗状況", heading), funnel]
    SimpleDocTemplate(str(out), pagesize=A4, title=f"{fy} KPI", leftMargin=15 * mm, rightMargin=15 * mm).build(story)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--fy", type=int, required=True)
    parser.add_argument("--pdf", type=Path)
    parser.add_argument("--font", type=Path, help="the TrueType font to embed (with --pdf)")
    args = parser.parse_args(argv)
    conn = sqlite3.connect(args.db)
    conn.execute("PRAGMA journal_mode=WAL")
    result = tally(conn, args.fy)
    conn.close()
    if args.pdf:
        if args.font is None:
            parser.error("--pdf needs --font")
        write_pdf(result, args.pdf, args.font)
    else:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
