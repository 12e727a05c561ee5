"""English as a second language: Qt's translation files laid over a Japanese-first UI.

The UI modules write their texts as plain Japanese literals. When the English catalogue
(``resources/i18n/jcim_desktop_en.qm``, context ``jcim``) is installed, this module replaces the
Japanese a person sees with its translation, without the modules having to call ``tr()``:

* :func:`tr` is the exact lookup (``QCoreApplication.translate("jcim", text)``);
  :func:`tr_dynamic` adds the :data:`PATTERNS` for texts with dynamic parts (counts, fiscal
  years, dates, record names), line by line for multi-line texts, and lists joined with ``・``;
* :func:`retranslate` walks a widget tree and swaps the texts of labels, buttons, group boxes,
  tabs, combo items (their data kept), placeholders, tool tips, window titles, menus and actions,
  list items and table-widget headers;
* :func:`install_retranslation` does that application-wide as widgets are polished and shown
  (so pages and dialogs built later are translated before they are laid out), keeps texts set
  later translated as they are painted, and translates item-view cells and header sections at
  paint time through a proxy style (the models themselves stay Japanese).

Everything is a no-op unless a catalogue for a language other than Japanese is installed, and
translating twice changes nothing. ``resources/i18n/update.py`` lists the Japanese literals
still missing from the catalogue and compiles it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QProxyStyle,
    QSpinBox,
    QStatusBar,
    QStyle,
    QStyleOption,
    QTableWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolTip,
    QTreeWidget,
    QWidget,
)
from PySide6.QtGui import QAction, QPainter

CONTEXT = "jcim"
LANGUAGE_KEY = "@language"
"""A catalogue entry whose translation names the catalogue's language (``en``)."""

JAPANESE = re.compile(r"[\u3005\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
"""Kana or kanji (the same test as the extractor of ``resources/i18n/update.py``)."""


def tr(text: str) -> str:
    """The catalogue's translation of ``text`` (``text`` itself when there is none)."""
    return QCoreApplication.translate(CONTEXT, text)


def is_active() -> bool:
    """Whether a catalogue for a language other than Japanese is installed."""
    language = tr(LANGUAGE_KEY)
    return language != LANGUAGE_KEY and not language.lower().startswith("ja")


# -- texts with dynamic parts ----------------------------------------------------------------

Template = str | Callable[[re.Match[str]], str]

_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DEKADS = {"上旬": "early", "中旬": "mid", "下旬": "late"}

SINGULAR: dict[str, str] = {
    "活動・行事": "activity/event",
    "ピッチイベント": "pitch event",
    "ピッチ発表": "pitch presentation",
    "自治体ニーズ": "municipal need",
    "シーズ（技術）": "technology seed",
    "マッチング": "matching",
    "実証実験": "field trial",
    "自治体支援": "municipal support activity",
    "自治体ステータス": "municipality status",
    "KPI目標": "KPI target",
    "記録": "record",
}
"""A record of each kind, for sentences (the catalogue holds the page titles, in the plural)."""


def _year(era: str, year: str) -> int:
    return _ERA_START[era] + (1 if year == "元" else int(year))


def _fy(m: re.Match[str]) -> str:
    return f"FY{_year(m['era'], m['y'])}"


def _date(m: re.Match[str]) -> str:
    return f"{_MONTHS[int(m['m']) - 1]} {int(m['d'])}, {_year(m['era'], m['y'])}"


def _date_span(m: re.Match[str]) -> str:
    year, month, day = _year(m["era"], m["y"]), int(m["m"]), int(m["d"])
    end_month = int(m["m2"]) if m["m2"] else month
    end_day = int(m["d2"])
    if end_month == month:
        return f"{_MONTHS[month - 1]} {day}–{end_day}, {year}"
    if end_month < month:  # December into January
        return f"{_MONTHS[month - 1]} {day}, {year} – {_MONTHS[end_month - 1]} {end_day}, {year + 1}"
    return f"{_MONTHS[month - 1]} {day} – {_MONTHS[end_month - 1]} {end_day}, {year}"


def _plural(n: str, one: str, many: str) -> str:
    return f"{n} {one if n == '1' else many}"


def _kind(label: str) -> str:
    return SINGULAR.get(label) or tr_dynamic(label).lower()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _list(text: str, separator: str = "、") -> str:
    return ", ".join(tr_dynamic(part) for part in text.split(separator))


def _missing_issues(m: re.Match[str]) -> str:
    numbers = re.sub(r"号など([\d,]+)号分$", r" and more (\1 issues)", m[1])
    numbers = re.sub(r"号（([\d,]+)号分）$", r" (\1 issues)", numbers)
    numbers = numbers.removesuffix("号").replace("・", ", ").replace("～", "–")
    return f"Issues not received: {numbers} (each package is a full copy, so no data is lost)"


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_ERA = r"(?P<era>令和|平成)(?P<y>\d+|元)"

PATTERNS: list[tuple[re.Pattern[str], Template]] = [
    # Backups and a damaged database (backup_dialog.py, recovery_dialog.py, app.py).
    (_p(_ERA + r"年(?P<m>\d{1,2})月(?P<d>\d{1,2})日 (?P<t>\d{1,2}:\d\d:\d\d)"), lambda m: f"{_date(m)} {m['t']}"),
    (_p(r"(.+)（(.+)）のバックアップから復元しますか？"), r"Restore the backup of \1 (\2)?"),
    (_p(r"今のデータベースは (.+) として同じフォルダに残します。"), r"The current database is kept in the same folder as \1."),
    (_p(r"(.+) より後に入力・取り込みした変更は、復元したデータには含まれません。"),
     r"Changes entered or imported after \1 are not in the restored data."),
    (_p(r"(.+) のバックアップから復元しました。"), r"Restored the backup of \1."),
    (_p(r"今までのデータベースは (.+) として残しました。"), r"The previous database was kept as \1."),
    (_p(r"壊れたデータベースは (.+) として残しました。"), r"The damaged database was kept as \1."),
    (_p(r"データベース（(.+)）が壊れています: (.+)。"), r"The database (\1) is damaged: \2."),
    (_p(r"SQLite のデータベースではありません（(.+)）"), r"it is not an SQLite database (\1)"),
    (_p(r"中身の一部が読めません（(.+)）"), r"part of it cannot be read (\1)"),
    (_p(r"最新の正常なバックアップ: (.+)（(.+)）"), r"Newest good backup: \1 (\2)"),
    (_p(r"復元すると、壊れたファイルは (.+) として残します。バックアップより後の変更は含まれません。"),
     r"Restoring keeps the damaged file as \1. Changes made after the backup are not included."),
    (_p(r"新しく始めると、壊れたファイルは (.+) として残し、空のデータベースで始めます。"),
     r"Starting fresh keeps the damaged file as \1 and starts with an empty database."),
    # The レポート menu.
    (_p(r"書き出しました: (.+)"), r"Written: \1"),
    (_p(r"(.+)テンプレートの保存先"), r"Save the \1 template as"),
    (_p(r"(.+)を取り込む"), r"Import the \1"),
    (_p(r"(.+)を書き出しています…"), r"Exporting \1…"),
    (_p(r"(.+)を作っています…"), r"Making the \1…"),
    (_p(r"正しい (\d[\d,]*) 行だけ取り込む"), r"Import only the \1 good rows"),
    (_p(r"(\d[\d,]*) 行を取り込みます。よろしいですか？"), r"Import \1 rows?"),
    (_p(r"(.+) を確認しています…"), r"Checking \1…"),
    # Counts.
    (_p(r"(\d[\d,]*) 件"), lambda m: _plural(m[1], "record", "records")),
    (_p(r"(\d[\d,]*)件"), r"\1"),
    (_p(r"ほか ?(\d[\d,]*) ?件"), r"\1 more"),
    (_p(r"(\d[\d,]*) ?団体"), lambda m: _plural(m[1], "municipality", "municipalities")),
    (_p(r"(\d[\d,]*)回"), r"\1"),
    (_p(r"(\d[\d,]*)か国・地域"), r"\1 countries/regions"),
    (_p(r"(\d+) / (\d+) 市区町村"), r"\1 / \2 municipalities"),
    (_p(r"延べ数（実数 (\d[\d,]*)団体）"), r"Total count (\1 distinct)"),
    (_p(r"(.+) ほか(\d+)"), r"\1 and \2 more"),
    # Fiscal years and dates (era form → western).
    (_p(r"(令和|平成)(\d+|元)年度（(\d{4})）"), r"FY\3"),
    (_p(r"(?P<era>令和|平成|R|H)(?P<y>\d+|元)年度"), _fy),
    (_p(r"(\d{4})年度"), r"FY\1"),
    (_p(_ERA + r"年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"), _date),
    (_p(_ERA + r"年(?P<m>\d{1,2})月(?P<d>\d{1,2})日〜(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"), _date_span),
    (_p(r"(.+)｜(.+)｜(.+)現在"), r"\1 | \2 | as of \3"),
    (_p(r"(.+)現在"), r"as of \1"),
    # Planned dates as understood (domain.dates.PlannedDate.describe).
    (_p(r"→ (.+)"), r"→ \1"),
    (_p(r"(\d{4}-\d\d-\d\d(?:〜\d{4}-\d\d-\d\d)?) (.+)"), r"\1 \2"),
    (_p(r"第(\d)四半期"), r"Q\1"),
    (_p(r"(\d{1,2})月"), lambda m: _MONTHS[int(m[1]) - 1] if 1 <= int(m[1]) <= 12 else m[0]),
    (_p(r"(\d{1,2})月(上旬|中旬|下旬)"),
     lambda m: f"{_DEKADS[m[2]]} {_MONTHS[int(m[1]) - 1]}" if 1 <= int(m[1]) <= 12 else m[0]),
    (_p(r"(\d{4})年"), r"\1"),
    # Planned dates as written in the plans (kept verbatim in Japanese; shown as read).
    (_p(r"(\d{1,2})月頃"), lambda m: f"around {_MONTHS[int(m[1]) - 1]}" if 1 <= int(m[1]) <= 12 else m[0]),
    (_p(r"(\d{1,2})月(\d{1,2})日"), lambda m: f"{_MONTHS[int(m[1]) - 1]} {int(m[2])}" if 1 <= int(m[1]) <= 12 else m[0]),
    (_p(r"未定\s*[（(](.+)[）)]"), r"TBD (\1)"),
    (_p(r"通年（(.+)）"), r"Full year (\1)"),
    (_p(r"(.+)（予定・未確定）"), r"\1 (tentative)"),
    # The dashboard.
    (_p(r"目標 (.+) に対する達成率"), r"Achievement against the target of \1"),
    (_p(r"目標 ([\d,.]+%?)(?:団体|件|回|か国・地域)?"), r"Target: \1"),
    (_p(r"目標 ([^｜\n]+)"), r"Target: \1"),
    (_p(r"達成率 ([^｜\n]+)"), r"Achieved \1"),
    (_p(r"全国目標 ([\d,.]+%?)(?:団体|件|回|か国・地域)?（参考）"), r"National target: \1"),
    (_p(r"全国目標 ([^｜\n]+)（参考）"), r"National target: \1"),
    (_p(r"全国計 ([\d,.]+%?)(?:団体|件|回|か国・地域)?"), r"National total: \1"),
    (_p(r"全国計 ([^｜\n]+)"), r"National total: \1"),
    (_p(r"当フォーラム (.+)（全国計の (\d+)%）"), r"This forum: \1 (\2% of the national total)"),
    (_p(r"(\d+)日経過"), lambda m: _plural(m[1], "day overdue", "days overdue")),
    (_p(r"あと(\d+)日"), lambda m: "in " + _plural(m[1], "day", "days")),
    (_p(r"(.+)ブロックの支援自治体数（(.+)）"), r"Supported municipalities, \1 block (\2)"),
    (_p(r"都道府県別の支援自治体数（(.+)）"), r"Supported municipalities by prefecture (\1)"),
    (_p(r"(.+)の支援自治体数（(.+)）"), r"Supported municipalities, \1 (\2)"),
    (_p(r"(.+)ブロック"), r"\1 block"),
    (_p(r"「(.+)」から「(.+)」へ進めない案件が最も多くなっています（(\d[\d,]*)件）。"),
     r"Most pairings stall between “\1” and “\2” (\3)."),
    # The matching board.
    (_p(r"(.+)の件数: (.+)（不成立 (\d+)）"), r"\1: \2 (dropped \3)"),
    (_p(r"(.+)\u3000実証 (\d+) 件"), lambda m: f"{tr_dynamic(m[1])} · " + _plural(m[2], "trial", "trials")),
    (_p(r"実証 (\d+) 件"), lambda m: _plural(m[1], "trial", "trials")),
    (_p(r"([^\s\d]\S*) (\d[\d,]*)件"), r"\1 \2"),
    (_p(r"([^\s\d]\S*)→([^\s\d]\S*) (\d+%|—)"), r"\1 → \2 \3"),
    (_p(r"［(.+)］"), r"[\1]"),
    (_p(r"「(.+)」に進める(…?)"), r"Move to “\1”\2"),
    (_p(r"「(.+)」を (\S+) で記録しました。"), r"Recorded “\1” on \2."),
    # Record dialogs and list pages.
    (_p(r"(.+)の新規登録"), lambda m: "New " + _kind(m[1])),
    (_p(r"(.+)の編集"), lambda m: "Edit " + _kind(m[1])),
    (_p(r"(.+)（閲覧のみ）"), lambda m: _capital(_kind(m[1])) + " (read-only)"),
    (_p(r"(.+)を新しく登録します（Ctrl\+N）"), lambda m: f"Register a new {_kind(m[1])} (Ctrl+N)"),
    (_p(r"(.+)「(.+)」を削除しますか？\n\n削除した記録は「元に戻す」（Ctrl\+Z）で戻せます。"),
     lambda m: f"Delete {_kind(m[1])} “{m[2]}”?\n\nYou can bring it back with Undo (Ctrl+Z)."),
    (_p(r"「(.+)」を元に戻しました"), r"Restored “\1”"),
    (_p(r"削除した「(.+)」を元に戻します（Ctrl\+Z）"), r"Restore the deleted “\1” (Ctrl+Z)"),
    (_p(r"「(.+)」の列では並べ替えできません"), r"The “\1” column cannot be sorted"),
    (_p(r"(.+)。「複製」で自組織の記録として写せます。"), r"\1. Use “Duplicate” to copy it as your own record."),
    (_p(r"(.+)（クリックで並べ替え）"), r"\1 (click to sort)"),
    (_p(r"(.+)（この列では並べ替えできません）"), r"\1 (this column cannot be sorted)"),
    (_p(r"この記録は「(.+)」が登録したものです。この端末では閲覧のみできます。"),
     r"This record was registered by \1. It is read-only on this computer."),
    (_p(r"保存するには次の項目を入力・修正してください: (.+)"), lambda m: "To save, fill in or correct: " + _list(m[1])),
    (_p(r"下書きを保存できません（(.+)）。保存するまで閉じないでください。"),
     r"Cannot save a draft (\1). Do not close this window until you have saved."),
    (_p(r"(.+)（削除済み）"), r"\1 (deleted)"),
    (_p(r"前回保存されなかった入力が (\d+) 件あります。復元しますか？"),
     lambda m: _plural(m[1], "entry was", "entries were") + " not saved last time. Restore them?"),
    (_p(r"・(.+)（(新規|編集)、(.+)）"), r"• \1 (\2, \3)"),
    (_p(r"編集中だった(.+)は削除されています。入力内容を新しい記録として開きます。"),
     lambda m: f"The {_kind(m[1])} being edited has been deleted. What you entered opens as a new record."),
    # Validation messages (domain.entities).
    (_p(r"(.+)を入力してください。"), r"Please enter \1."),
    (_p(r"(.+)の形式が正しくありません。YYYY-MM-DD（例: 2024-07-01）の形で入力してください。"),
     r"\1 is not a valid date. Enter it as YYYY-MM-DD (e.g. 2024-07-01)."),
    (_p(r"(.+)の形式が正しくありません。"), r"\1 is not in a valid format."),
    (_p(r"(.+)の (\S+) は存在しない日付です。"), r"\1: \2 is not a real date."),
    (_p(r"(.+)「(.+)」は選べません。一覧から選んでください（(.+)）。"), r"\1 “\2” is not a valid choice. Choose from the list (\3)."),
    (_p(r"(.+)は文字で入力してください。"), r"Enter \1 as text."),
    (_p(r"(.+)は(\d+)以上の整数で入力してください。"), r"Enter \1 as a whole number of at least \2."),
    (_p(r"(.+)は整数で入力してください。"), r"Enter \1 as a whole number."),
    (_p(r"(.+)は0以上の数で入力してください。"), r"Enter \1 as a number of 0 or more."),
    (_p(r"自治体コード「(.+)」は6桁の数字ではありません。自治体を一覧から選んでください。"),
     r"Municipality code “\1” is not six digits. Choose the municipality from the list."),
    (_p(r"自治体コード (\S+) は存在しません。自治体を一覧から選んでください。"),
     r"Municipality code \1 does not exist. Choose the municipality from the list."),
    (_p(r"自治体コード (\S+): (.+)"), r"Municipality code \1: \2"),
    (_p(r"検査数字が一致しません（正しくは (\d+) です。(\S+) ではありません）"),
     r"The check digit is wrong (the code is \1, not \2)"),
    (_p(r"(.+)のメールアドレス「(.+)」に @ がありません。正しく入力してください。"),
     r"The email address “\2” of \1 has no @. Please correct it."),
    (_p(r"(.+)「(.+)」は ISO 3166-1 の英字2文字の国コード（例: VN）で入力してください。"),
     r"Enter \1 “\2” as a two-letter ISO 3166-1 country code (e.g. VN)."),
    (_p(r"(.+)の目標は数値で入力してください。"), r"Enter the target for \1 as a number."),
    (_p(r"(.+)の目標値は割合（0～1）で入力してください。70%なら 0.7 です。"),
     r"Enter the target for \1 as a fraction (0–1): 0.7 for 70%."),
    (_p(r"(.+)の目標値は件数なので整数で入力してください。"), r"The target for \1 is a count: enter a whole number."),
    # Settings, about, first run, errors.
    (_p(r"JCIM Desktop — (.+)"), r"JCIM Desktop — \1"),
    (_p(r"組織: (.+)\u3000端末ID: (.+)\n鍵ID: (.+)\nPDF の日本語フォント: (.+)"),
     r"Organisation: \1   Installation ID: \2\nKey ID: \3\nJapanese font for PDFs: \4"),
    (_p(r"組織: (.+)\u3000端末ID: (.+)"), r"Organisation: \1   Installation ID: \2"),
    (_p(r"組織: (.+)"), r"Organisation: \1"),
    (_p(r"鍵ID: (.+)"), r"Key ID: \1"),
    (_p(r"データフォルダ: (.+)"), r"Data folder: \1"),
    (_p(r"データフォルダを (.+) に変更しました。次に起動したときから使います。今のデータを使い続けるには、今のフォルダの中身をそこへコピーしてください。"),
     r"The data folder is now \1, from the next start. To keep using the current data, copy the current folder's contents there."),
    (_p(r"デモデータを読み込みました（(\d[\d,]*) 件）。"), r"Loaded the demo data (\1 records)."),
    (_p(r"予期しないエラーが発生しました（(.+)）。入力中の内容は下書きとして保存されています。(.*)"),
     r"An unexpected error occurred (\1). What you were typing has been kept as a draft.\2"),
    (_p(r"詳細は (.+) に記録しました。"), r"Details were written to \1."),
    (_p(r"(.+) に保存できませんでした。"), r"Could not save to \1."),
    # The municipality picker and master.
    (_p(r"(.+)（(.+)・団体コード (\d+)）"), r"\1 (\2, code \3)"),
    (_p(r"団体コード (\d+)"), r"Code \1"),
    (_p(r"不明なコード (\S+)"), r"Unknown code \1"),
    (_p(r"全国: 行政会員 (\S+) / (\S+)（(.+)）\u3000市区町村長会議 (\S+) / (\S+)（(.+)）"),
     r"Nationwide: government members \1 / \2 (\3)   Mayors' Council \4 / \5 (\6)"),
    # Sync and conflicts.
    (_p(r"([^\s\d]\S*) (\d[\d,]*) 件"), r"\1 \2"),
    (_p(r"計 (\d[\d,]*) 件（(.+)）"), r"Total \1 (\2)"),
    (_p(r"第(\d+)号"), r"Issue \1"),
    (_p(r"第(\d+)号\u3000(.+)"), r"Issue \1   \2"),
    (_p(r"第(.+)が届いていません（全件の写しなので失われたデータはありません）"), _missing_issues),
    (_p(r"(.+) から届いた同期パッケージ"), r"Sync package from \1"),
    (_p(r"(.+)（端末 ([0-9A-Za-z-]+)）"), r"\1 (computer \2)"),
    (_p(r"端末 ([0-9A-Za-z-]+)"), r"Computer \1"),
    (_p(r"この端末: (.+)（端末 (\S+)）\u3000鍵ID"), r"This computer: \1 (computer \2)   Key ID"),
    (_p(r"取り込むと\u3000(.+)"), r"On import: \1"),
    (_p(r"競合が (\d+) 件あります。取り込んだ後、「競合」ページで確認してください（どちらの版も失われません）。"),
     lambda m: _plural(m[1], "conflict", "conflicts")
     + ". Review them on the “Conflicts” page after importing (neither version is lost)."),
    (_p(r"このアプリが知らない種類の記録（(.+)）は取り込まれません。アプリを最新版にしてください。"),
     r"Records of kinds this app does not know (\1) are not imported. Please update the app."),
    (_p(r"鍵ID <b>(.+)</b> の鍵を信頼し、次の組織の記録を書くことを認めます。"),
     r"Trust the key <b>\1</b> and allow it to write the records of these organisations."),
    (_p(r"鍵ID ([0-9A-Za-z-]+)"), r"Key ID \1"),
    (_p(r"作成: (.+)"), r"Created: \1"),
    (_p(r'第(\d+)号（(.+?)）を書き出しました。<br><b>(.+?)</b><br>保存先: (.+?)\u3000<a href="(.+?)">フォルダを開く</a>'
        r"<br>(\d[\d,]*) 件（(.+?)）。担当者連絡先は(.+?)。"),
     lambda m: f"Exported issue {m[1]} ({tr_dynamic(m[2])}).<br><b>{m[3]}</b><br>Saved in: {m[4]}"
     f'   <a href="{m[5]}">Open folder</a><br>{m[6]} records ({tr_dynamic(m[7])}). Contact persons {tr_dynamic(m[8])}.'),
    (_p(r"同期パッケージを書き出しました: (.+)"), r"Exported the sync package: \1"),
    (_p(r"書き出せませんでした（(.+)）。保存先のフォルダと空き容量を確認してください。"),
     r"Could not export (\1). Check the folder and the free disk space."),
    (_p(r"(.+) の署名と内容を確かめています…"), r"Checking the signature and contents of \1…"),
    (_p(r"(.+) を確かめています…"), r"Checking \1…"),
    (_p(r"(.+) を取り込んでいます…"), r"Importing \1…"),
    (_p(r"ファイルを読めません（(.+)）。ファイルの場所と権限を確認してください。"),
     r"Cannot read the file (\1). Check where it is and its permissions."),
    (_p(r"「(.+)」は取り込めません。何も変更していません。"), r"“\1” cannot be imported. Nothing was changed."),
    (_p(r"理由: (.+)"), r"Reason: \1"),
    (_p(r"(.+): 取り込みました（(.+) 第(\d+)号）(.+)"), r"\1: imported (\2, issue \3) \4"),
    (_p(r"(.+): 取り込みを取りやめました。"), r"\1: import cancelled."),
    (_p(r"(.+): 取り込めませんでした — (.+)"), r"\1: could not import — \2"),
    (_p(r"(\d+) 件のパッケージを取り込みました。"), lambda m: "Imported " + _plural(m[1], "package.", "packages.")),
    (_p(r"(.+) に書き込めません（(.+)）。保存先を確認してください。"), r"Cannot write to \1 (\2). Check the destination."),
    (_p(r"(.+) は公開鍵のファイルではないか、読めません。送り主が「公開鍵を書き出す…」（または key export）で書き出したファイルを選んでください。"),
     r"\1 is not a public key file or cannot be read. Choose the file the sender exported with “Export public key…” (or key export)."),
    (_p(r"鍵ID ([0-9A-Za-z-]+) を信頼しました（(.+)）。"), r"Key \1 is now trusted (\2)."),
    (_p(r"鍵ID ([0-9A-Za-z-]+)（(.+)）の信頼をやめますか？"), r"Stop trusting key \1 (\2)?"),
    (_p(r"(\d[\d,]*) 件（この端末で解決できるもの (\d[\d,]*) 件）"), r"\1 (\2 can be resolved here)"),
    (_p(r"(.+)「(.+)」（(.+)の記録）"), r"\1 “\2” (a record of \3)"),
    (_p(r"この版を採用（版(\S+)）"), r"Adopt this version (\1)"),
    (_p(r"版(\S+)の内容で確定しますか？"), r"Settle on the content of version \1?"),
    (_p(r"版(\S+)を採用して競合を解決しました。"), r"Adopted version \1; the conflict is resolved."),
    (_p(r"版([A-Z]+)(?:（(.+)）)?"), lambda m: f"Version {m[1]}" + (f" ({tr_dynamic(m[2])})" if m[2] else "")),
    (_p(r"（見つからない記録 (.+)）"), r"(record not found: \1)"),
    # The national tally.
    (_p(r"(.+)を集計しています…"), r"Tallying \1…"),
    (_p(r"(.+)｜(.+)の KPI 実績"), r"\1 | KPI results, \2"),
    (_p(r"(.+)の KPI 実績"), r"KPI results, \1"),
    # Generic joins, last: each part is translated on its own.
    (_p(r"(.+) → (.+)"), r"\1 → \2"),
    (_p(r"([^\s\d]\S*) (\d[\d,]*)"), r"\1 \2"),
    (_p(r"(\S+)\u3000(\d+)"), r"\1  \2"),
    (_p(r"(.+)｜(.+)"), r"\1 | \2"),
    (_p(r"(.+)[〜～](.+)"), r"\1 – \2"),
    (_p(r"(.+)（(.+)）"), r"\1 (\2)"),
]
"""(regex, English template) for texts with dynamic parts, tried in order when no exact entry
exists; the regex must match the whole text. A string template uses ``\\1`` … for the groups,
each group translated first (exact entry or pattern); a callable gets the match."""

_GROUP_REF = re.compile(r"\\(\d)")
_SPACES = " \u3000\t"
_LEADING = _SPACES + "└├│"
_JOINERS = (("・", ", "), ("、", ", "), ("／", " / "), ("\u3000", "   "))
_cache: dict[str, str] = {}
_CACHE_LIMIT = 50_000
_cache_language: str | None = None


def _expand(template: str, match: re.Match[str]) -> str:
    groups = [match[0]] + [tr_dynamic(g) if g else "" for g in match.groups()]
    return _GROUP_REF.sub(lambda ref: groups[int(ref.group(1))], template)


def _joined(text: str) -> str | None:
    """A list joined with ・ (or 、 ／) whose parts, taken singly or in runs, are all catalogue entries."""
    for separator, english in _JOINERS:
        parts = text.split(separator)
        if len(parts) < 2 or len(parts) > 12:
            continue
        # best[i]: a translation of parts[:i] as runs of exact entries (None: impossible).
        best: list[list[str] | None] = [[]] + [None] * len(parts)
        for end in range(1, len(parts) + 1):
            for start in range(end - 1, -1, -1):
                head = best[start]
                if head is None:
                    continue
                piece = separator.join(parts[start:end])
                # Runs must be entries; a single part may also be a pattern (a fiscal year).
                english_piece = (tr(piece) if end - start > 1 else tr_dynamic(piece)) if JAPANESE.search(piece) else piece
                if english_piece != piece or not JAPANESE.search(piece):
                    best[end] = head + [english_piece]
                    break
        if best[-1] is not None:
            return english.join(best[-1])
    return None


def _sync_cache() -> None:
    global _cache_language
    language = tr(LANGUAGE_KEY)
    if language != _cache_language:
        _cache.clear()
        _cache_language = language


def clear_cache() -> None:
    """Forget translated texts (after translators were installed or removed)."""
    global _cache_language
    _cache.clear()
    _cache_language = None


def tr_dynamic(text: str) -> str:
    """``text`` in the installed language: the exact entry, else a pattern, else line by line,
    else a ・-joined list of entries; unchanged when nothing fits (or it has no Japanese)."""
    if not text or not JAPANESE.search(text):
        return text
    _sync_cache()  # translators may have come or gone since
    cached = _cache.get(text)
    if cached is not None:
        return cached
    result = _translate(text)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[text] = result
    return result


def _translate(text: str) -> str:
    exact = tr(text)
    if exact != text:
        return exact
    if not is_active():
        return text
    core = text.lstrip(_LEADING).rstrip(_SPACES)
    if core != text:  # indented, padded or a tree branch: translate what is inside
        head = text[: len(text) - len(text.lstrip(_LEADING))]
        tail = text[len(text.rstrip(_SPACES)):]
        return head + tr_dynamic(core) + tail if core else text
    for regex, template in PATTERNS:
        match = regex.fullmatch(text)
        if match is None:
            continue
        return template(match) if callable(template) else _expand(template, match)
    if "\n" in text:
        return "\n".join(tr_dynamic(line) for line in text.split("\n"))
    joined = _joined(text)
    return joined if joined is not None else text


# -- widgets ---------------------------------------------------------------------------------

def _swap(get: Callable[[], str], set_: Callable[[str], None]) -> bool:
    text = get()
    if text and JAPANESE.search(text):
        english = tr_dynamic(text)
        if english != text:
            set_(english)
            return True
    return False


def _translate_action(action: QAction, depth: int = 0) -> None:
    before = action.text()
    _swap(action.text, action.setText)
    tip = action.toolTip()
    if tip and JAPANESE.search(tip) and tip != before.replace("&", ""):
        _swap(action.toolTip, action.setToolTip)
    _swap(action.statusTip, action.setStatusTip)
    menu = action.menu()
    if isinstance(menu, QMenu) and depth < 4:
        _swap(menu.title, menu.setTitle)
        for child in menu.actions():
            _translate_action(child, depth + 1)


def _translate_combo(combo: QComboBox) -> None:
    # An editable combo's text is its value, and QInputDialog hands back the chosen text.
    if combo.isEditable() or isinstance(combo.window(), QInputDialog):
        return
    old_width = combo.sizeHint().width()
    changed = False
    for index in range(combo.count()):
        changed |= _swap(lambda i=index: combo.itemText(i), lambda text, i=index: combo.setItemText(i, text))  # type: ignore[misc]
    changed |= _swap(combo.placeholderText, combo.setPlaceholderText)
    if changed:
        _refit_combo(combo, old_width)


def _refit_combo(combo: QComboBox, old_width: int) -> None:
    """Let a combo measure its (translated) items again; QComboBox caches its size hint."""
    policy = combo.sizeAdjustPolicy()
    other = (QComboBox.SizeAdjustPolicy.AdjustToContents
             if policy != QComboBox.SizeAdjustPolicy.AdjustToContents
             else QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setSizeAdjustPolicy(other)
    combo.setSizeAdjustPolicy(policy)
    # A minimum width taken from the Japanese size hint follows the English one.
    if combo.minimumWidth() == old_width and combo.sizeHint().width() > old_width:
        combo.setMinimumWidth(combo.sizeHint().width())


def _translate_current_item(combo: QComboBox) -> None:
    if combo.isEditable() or isinstance(combo.window(), QInputDialog):
        return
    index = combo.currentIndex()
    if index >= 0:
        _swap(lambda: combo.itemText(index), lambda text: combo.setItemText(index, text))


def translate_widget(widget: QWidget) -> None:
    """Translate ``widget``'s own texts (not its children's)."""
    _swap(widget.toolTip, widget.setToolTip)
    if widget.isWindow() or isinstance(widget, QDockWidget):
        _swap(widget.windowTitle, widget.setWindowTitle)
    if isinstance(widget, QLabel):
        if _swap(widget.text, widget.setText) and widget.isWindow():
            widget.adjustSize()  # a tool tip
    elif isinstance(widget, QAbstractButton):
        _swap(widget.text, widget.setText)
    elif isinstance(widget, QGroupBox):
        _swap(widget.title, widget.setTitle)
    elif isinstance(widget, QComboBox):
        _translate_combo(widget)
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        _swap(widget.placeholderText, widget.setPlaceholderText)
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        _swap(widget.prefix, widget.setPrefix)
        _swap(widget.suffix, widget.setSuffix)
        _swap(widget.specialValueText, widget.setSpecialValueText)
    elif isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            _swap(lambda i=i: widget.tabText(i), lambda t, i=i: widget.setTabText(i, t))  # type: ignore[misc]
            _swap(lambda i=i: widget.tabToolTip(i), lambda t, i=i: widget.setTabToolTip(i, t))  # type: ignore[misc]
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            _swap(lambda i=i: widget.tabText(i), lambda t, i=i: widget.setTabText(i, t))  # type: ignore[misc]
    elif isinstance(widget, QMenu):
        _swap(widget.title, widget.setTitle)
    elif isinstance(widget, QListWidget):
        for i in range(widget.count()):
            list_item = widget.item(i)
            _swap(list_item.text, list_item.setText)
            _swap(list_item.toolTip, list_item.setToolTip)
    elif isinstance(widget, QTableWidget):
        for i in range(widget.columnCount()):
            header_item = widget.horizontalHeaderItem(i)
            if header_item is not None:
                _swap(header_item.text, header_item.setText)
                _swap(header_item.toolTip, header_item.setToolTip)
        for i in range(widget.rowCount()):
            header_item = widget.verticalHeaderItem(i)
            if header_item is not None:
                _swap(header_item.text, header_item.setText)
    elif isinstance(widget, QTreeWidget):
        header = widget.headerItem()
        for i in range(header.columnCount()):
            _swap(lambda i=i: header.text(i), lambda t, i=i: header.setText(i, t))  # type: ignore[misc]
    for action in widget.actions():
        _translate_action(action)


def _in_file_dialog(widget: QWidget) -> bool:
    # File and folder names are not ours to translate.
    return isinstance(widget.window(), QFileDialog)


def _tree(widget: QWidget) -> Iterator[QWidget]:
    yield widget
    yield from widget.findChildren(QWidget)


def retranslate(widget: QWidget) -> None:
    """Translate the texts of ``widget`` and everything in it (idempotent; a no-op in Japanese)."""
    _sync_cache()
    if not is_active():
        return
    for child in _tree(widget):
        if not _in_file_dialog(child):
            translate_widget(child)


# -- item views and headers, at paint time ---------------------------------------------------

class TranslatingStyle(QProxyStyle):
    """Draws item-view cells and header sections with their texts translated.

    The table models give Japanese (their tests and the CLI rely on it); the English is applied
    only where the text is painted, so sorting, selection and model data stay as they are.
    """

    _ELEMENTS = (QStyle.ControlElement.CE_HeaderLabel, QStyle.ControlElement.CE_ItemViewItem)

    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption, painter: QPainter,
                    widget: QWidget | None = None) -> None:
        if element in self._ELEMENTS:
            text = getattr(option, "text", "")
            if text and JAPANESE.search(text) and not (widget is not None and _in_file_dialog(widget)):
                english = tr_dynamic(text)
                if english != text:
                    if element == QStyle.ControlElement.CE_HeaderLabel:
                        # Sections are sized for the Japanese: elide rather than clip.
                        room = option.rect.width() - 4
                        metrics = option.fontMetrics
                        english = "\n".join(
                            metrics.elidedText(line, Qt.TextElideMode.ElideRight, room)
                            if metrics.horizontalAdvance(line) > room else line
                            for line in english.split("\n")
                        )
                    option = type(option)(option)
                    option.text = english  # type: ignore[attr-defined]
        super().drawControl(element, option, painter, widget)


# -- application-wide ------------------------------------------------------------------------

_TRANSLATED_STATUS = "_jcimStatusTranslated"


class _Retranslator(QObject):
    """The application's event filter that keeps what is shown in English."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.previous_style = app.style().name()
        self.removed_translators: list[QObject] = []
        self.status_bars: list[QStatusBar] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: C901 - one dispatch
        kind = event.type()
        if kind == QEvent.Type.Paint:
            if isinstance(watched, QLabel | QAbstractButton):
                if _swap(watched.text, watched.setText) and watched.isWindow():
                    watched.adjustSize()
            elif isinstance(watched, QComboBox):
                _translate_current_item(watched)
            return False
        if kind == QEvent.Type.Polish:
            if isinstance(watched, QWidget) and not _in_file_dialog(watched):
                translate_widget(watched)
                if isinstance(watched, QStatusBar) and not watched.property(_TRANSLATED_STATUS):
                    watched.setProperty(_TRANSLATED_STATUS, True)
                    watched.messageChanged.connect(self._status_message)
                    self.status_bars.append(watched)
        elif kind == QEvent.Type.Show:
            if isinstance(watched, QWidget) and not _in_file_dialog(watched):
                if watched.isWindow():
                    retranslate(watched)
                    parent = watched.parentWidget()
                    if isinstance(parent, QComboBox):  # the popup of a combo box
                        _translate_combo(parent)
                else:
                    translate_widget(watched)
        elif kind == QEvent.Type.ToolTip:
            if isinstance(watched, QWidget):
                return self._tool_tip(watched, event)
        elif kind == QEvent.Type.WindowTitleChange:
            if isinstance(watched, QWidget) and watched.isWindow():
                _swap(watched.windowTitle, watched.setWindowTitle)
        elif kind == QEvent.Type.LanguageChange:
            if isinstance(watched, QApplication):
                clear_cache()
            elif isinstance(watched, QWidget) and watched.isWindow() and is_active():
                retranslate(watched)
        return False

    def _tool_tip(self, widget: QWidget, event: QEvent) -> bool:
        _swap(widget.toolTip, widget.setToolTip)
        # Tips that come from a model (header sections, cells): shown here, translated.
        pos = event.pos()  # type: ignore[attr-defined]
        text = None
        if isinstance(widget, QHeaderView) and widget.model() is not None:
            section = widget.logicalIndexAt(pos)
            if section >= 0:
                model = widget.model()
                text = model.headerData(section, widget.orientation(), Qt.ItemDataRole.ToolTipRole)
                if not text:
                    # No tip of its own: a section too narrow for its English shows it whole.
                    label = model.headerData(section, widget.orientation(), Qt.ItemDataRole.DisplayRole)
                    if isinstance(label, str) and JAPANESE.search(label):
                        english = tr_dynamic(label)
                        if widget.fontMetrics().horizontalAdvance(english) > widget.sectionSize(section) - 12:
                            text = label
        elif isinstance(widget.parentWidget(), QAbstractItemView) and widget is widget.parentWidget().viewport():  # type: ignore[union-attr]
            index = widget.parentWidget().indexAt(pos)
            if index.isValid():
                text = index.data(Qt.ItemDataRole.ToolTipRole)
        if isinstance(text, str) and JAPANESE.search(text):
            QToolTip.showText(event.globalPos(), tr_dynamic(text), widget)  # type: ignore[attr-defined]
            return True
        return False

    def _status_message(self, text: str) -> None:
        if _installed is not self or not text or not JAPANESE.search(text):
            return
        english = tr_dynamic(text)
        bar = self.sender()
        if english != text and isinstance(bar, QStatusBar):
            # The original timeout is not known; messages are short notices (8 s in the app).
            bar.showMessage(english, 10_000)


_installed: _Retranslator | None = None


def _qt_japanese_translators(app: QApplication) -> list[QObject]:
    from PySide6.QtCore import QTranslator

    return [t for t in app.findChildren(QTranslator) if t.filePath().replace("\\", "/").rsplit("/", 1)[-1].startswith("qtbase_ja")]


def install_retranslation(app: QApplication) -> bool:
    """Keep every widget in the installed language from now on (when it is not Japanese).

    Installs the application event filter and the translating style, and takes Qt's own
    Japanese strings (qtbase_ja) out so that Qt's dialogs speak the same language. Returns
    whether it is installed.
    """
    global _installed
    clear_cache()
    if _installed is not None:
        return True
    if not is_active():
        return False
    retranslator = _Retranslator(app)
    for translator in _qt_japanese_translators(app):
        app.removeTranslator(translator)  # type: ignore[arg-type]
        retranslator.removed_translators.append(translator)
    app.setStyle(TranslatingStyle(retranslator.previous_style))
    app.installEventFilter(retranslator)
    _installed = retranslator
    clear_cache()
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            retranslate(widget)
    return True


def remove_retranslation(app: QApplication) -> None:
    """Undo :func:`install_retranslation` (widgets already translated keep their English)."""
    global _installed
    retranslator = _installed
    if retranslator is None:
        return
    _installed = None
    app.removeEventFilter(retranslator)
    for bar in retranslator.status_bars:
        try:
            bar.messageChanged.disconnect(retranslator._status_message)
            bar.setProperty(_TRANSLATED_STATUS, None)
        except (RuntimeError, TypeError):
            pass  # the status bar is gone
    app.setStyle(retranslator.previous_style)
    for translator in retranslator.removed_translators:
        app.installTranslator(translator)  # type: ignore[arg-type]
    retranslator.deleteLater()
    clear_cache()


def installed() -> bool:
    return _installed is not None
