"""The command line (SYNC_FORMAT §6): ``jcim-desktop COMMAND …``; with no command, the window."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, NoReturn

from jcim_desktop import __version__
from jcim_desktop.domain.kpi import KPI_CODES
from jcim_desktop.domain.orgs import ORG_CODES
from jcim_desktop.errors import UserError, user_error_from_os

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger(__name__)

# argparse builds its messages in English; these turn the common ones into Japanese.
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"必要な引数がありません: \1"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.+)\)", r"\1 に「\2」は指定できません。選べる値: \3"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", r"\1 の値「\3」が正しくありません。"),
    (r"argument (\S+): expected one argument", r"\1 には値が一つ必要です。"),
    (r"unrecognized arguments: (.+)", r"知らない引数があります: \1"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 と \2 は一緒に指定できません。"),
    (r"invalid choice: '?([^' ]*)'?.*", r"「\1」というコマンドはありません。"),
    (r"argument (\S+): (.+)", r"\1: \2"),
)


def _japanese(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.search(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class UsageError(UserError):
    """Wrong usage found after parsing (exit 2, like argparse's own errors)."""


class JapaneseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="使い方: ")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose wrong-usage message is Japanese and exits with 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", JapaneseHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "引数"
        self._optionals.title = "オプション"
        self.add_argument("-h", "--help", action="help", help="この説明を表示して終了します")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"エラー: {_japanese(message)}\n「{self.prog} --help」で使い方を確認できます。\n")


def _fiscal_year(text: str) -> int:
    from jcim_desktop.domain.fiscal import parse_fiscal_year

    try:
        return parse_fiscal_year(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _data_dir_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=default, help="データフォルダ（既定: 利用者ごとのデータフォルダ）")
    parser.add_argument(
        "--database-url", metavar="URL", default=default,
        help="共有データベース（postgresql+psycopg://利用者@サーバー/データベース名）。"
             "既定: 環境変数 JCIM_DESKTOP_DATABASE_URL、データフォルダの設定、なければデータフォルダの SQLite",
    )


def build_parser() -> Parser:
    parser = Parser(prog="jcim-desktop", description="インフラメンテナンス国民会議 フォーラム活動・KPI 管理（JCIM Desktop）")
    parser.add_argument("--version", action="version", version=f"JCIM Desktop {__version__}", help="版を表示します")
    _data_dir_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, title="コマンド")

    def command(name: str, help_text: str) -> Parser:
        p: Parser = sub.add_parser(name, help=help_text, description=help_text, prog=f"jcim-desktop {name}")
        _data_dir_option(p, argparse.SUPPRESS)
        return p

    nested: list[Parser] = []

    def subcommands(p: Parser, dest: str, metavar: str = "SUBCOMMAND",
                    title: str = "サブコマンド") -> Callable[..., Parser]:
        """What adds a subcommand of ``p`` (``jcim-desktop <command> <name>``); each takes --data-dir
        too, after its own options (added at the end)."""
        group = p.add_subparsers(dest=dest, metavar=metavar, parser_class=Parser, title=title)
        group.required = True

        def add(name: str, help_text: str, description: str = "") -> Parser:
            subcommand: Parser = group.add_parser(name, help=help_text, description=description or help_text,
                                                  prog=f"{p.prog} {name}")
            nested.append(subcommand)
            return subcommand

        return add

    p = command("init", "この端末のデータベースと鍵を作ります")
    p.add_argument("--org", required=True, metavar="CODE", help="組織コード（例: chugoku, secretariat）")
    p.add_argument("--user", default="", metavar="NAME", help="利用者名（変更履歴に記録されます）")

    key = subcommands(command("key", "この端末の鍵を扱います"), "key_command")
    kp = key("export", "公開鍵を書き出します", "公開鍵を書き出します（base64、1行）。--age: 暗号化の受信者（age1…、1行）")
    kp.add_argument("--out", required=True, metavar="FILE", help="書き出すファイル")
    kp.add_argument("--age", action="store_true",
                    help="署名の公開鍵の代わりに、この端末宛てに暗号化するための受信者（age1…）を書き出します")
    kp = key("add-recipient", "暗号化の宛先（age の受信者）を登録します",
             "FILE の受信者（age1…、1行に1つ）を、担当者連絡先を含むパッケージの暗号化の宛先に登録します")
    kp.add_argument("file", metavar="FILE", help="受信者のファイル（key export --age で書き出したもの）")
    kp.add_argument("--org", default=None, metavar="CODE", help="受信者の組織（例: secretariat）")
    kp.add_argument("--label", default=None, metavar="TEXT", help="メモ（例: 事務局 2台目）")

    identity = subcommands(command("identity", "この端末の鍵を、パスフレーズで守って新しいパソコンへ移します"),
                           "identity_command")
    ip = identity("export", "鍵をパスフレーズで暗号化して書き出します",
                  "この端末の署名鍵と暗号化用の鍵を、端末ID・組織と一緒に 1 つのファイルへ、パスフレーズで暗号化して"
                  "書き出します（パスフレーズは 2 回尋ねます。環境変数 JCIM_DESKTOP_PASSPHRASE でも渡せます）。"
                  "このファイルは age の鍵ファイルとしても使えます（age -d -i ファイル 暗号化パッケージ）")
    ip.add_argument("--out", required=True, metavar="FILE", help="書き出すファイル（例: jcim-identity.age）")
    ip = identity("import", "書き出した鍵を新しいパソコンに読み込みます",
                  "identity export で書き出した鍵を、まだ使っていないデータフォルダに読み込み、同じ組織・同じ鍵の"
                  "端末として始めます（そのあと古いパソコンの最新のバックアップを backup restore で復元します）")
    ip.add_argument("file", metavar="FILE", help="identity export で書き出したファイル")
    ip.add_argument("--user", default="", metavar="NAME", help="利用者名（変更履歴に記録されます）")

    trust = subcommands(command("trust", "同期パッケージの署名鍵を信頼・確認・削除します"), "trust_command")
    tp = trust("add", "公開鍵を信頼します",
               "FILE の公開鍵を、指定した組織の記録を書く鍵として信頼します。事務局では、その鍵を登録もします"
               "（配布用パッケージで各フォーラムに届き、事務局の鍵を信頼している端末はその鍵も信頼します）")
    tp.add_argument("--org", required=True, metavar="CODE[,CODE…]", help="この鍵が書いてよい組織（all: すべて）")
    tp.add_argument("--note", default=None,
                    help="メモ（例: 中国フォーラム 山田さんの端末）。事務局では登録名（既定: 組織名と鍵ID）")
    tp.add_argument("file", metavar="FILE", help="公開鍵のファイル（key export で書き出したもの）")
    trust("list", "信頼済みの鍵を表示します", "信頼済みの鍵を、手動で追加したものか事務局が登録したものかと合わせて表示します")
    tp = trust("remove", "鍵の信頼をやめます",
               "鍵の信頼をやめます。事務局が登録した鍵は、事務局では trust revoke で失効させます")
    tp.add_argument("key", metavar="KEY", help="鍵ID（1a2b-3c4d-…）または公開鍵のファイル")
    tp.add_argument("--unregister", action="store_true",
                    help="事務局のみ: 失効ではなく、鍵の登録そのものを取り消します（間違えて登録したときなど）")
    tp = trust("revoke", "登録した鍵を失効させます（事務局のみ）",
               "事務局が登録した鍵を失効させます。失効日より後に作成されたその鍵のパッケージは、ここでも、"
               "次の配布用パッケージを受け取った各フォーラムでも受け付けなくなります")
    tp.add_argument("key", metavar="KEY", help="鍵ID（1a2b-3c4d-…）または公開鍵のファイル")
    tp.add_argument("--on", type=_revocation_date, default=None, metavar="DATE",
                    help="失効日（YYYY-MM-DD、既定: 今日）")

    p = command("export", "同期パッケージ（.jcimsync）を書き出します")
    p.add_argument("--out", required=True, metavar="FILE", help="書き出すファイル")
    p.add_argument("--scope", choices=("org", "national"), default="org",
                   help="org: この端末が書ける記録（既定）／national: 全記録（事務局のみ）")
    p.add_argument("--include-contacts", action="store_true", help="担当者連絡先（個人情報）も含めます")
    p.add_argument("--encrypt-to", default=None, metavar="FILE",
                   help="FILE の受信者（age1…、1行に1つ）宛てに暗号化します（age 形式。名前は .jcimsync.age で終えます）")

    p = command("import", "同期パッケージを確認して取り込みます")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="取り込むパッケージ（.jcimsync、暗号化されたものは .jcimsync.age）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="結果の出力形式")

    p = command("tally", "年度の KPI を集計します")
    p.add_argument("--fy", required=True, type=_fiscal_year, metavar="N", help="年度（2024、R6、令和6年度 など）")
    p.add_argument("--format", choices=("json", "xlsx", "pdf"), help="出力形式（既定: json。--explain では文章）")
    p.add_argument("--out", metavar="FILE", help="出力ファイル（xlsx・pdf では必須）")
    p.add_argument("--explain", metavar="KPI", choices=KPI_CODES,
                   help="その数値のもとになった記録を一覧します（KPI コード: supported_municipalities など）")
    p.add_argument("--org", metavar="CODE", choices=ORG_CODES, help="--explain で一つの組織の記録だけにします")
    p.add_argument("--live", action="store_true",
                   help="確定した年度でも、記録から計算し直した数値を出します")
    p.add_argument("--with-records", action="store_true",
                   help="--format pdf で、各数値のもとになった記録の一覧を付けます")

    p = command("close", "年度の集計を確定します（事務局のみ）")
    p.add_argument("--fy", required=True, type=_fiscal_year, metavar="N", help="確定する年度")
    p.add_argument("--note", default=None, metavar="TEXT", help="備考（例: 令和6年度 事業報告の数値）")

    p = command("reopen", "年度の確定を取り消します（事務局のみ）")
    p.add_argument("--fy", required=True, type=_fiscal_year, metavar="N", help="確定を取り消す年度")

    p = command("published", "過去の年度の公表値を記録します（事務局のみ）")
    p.add_argument("--fy", required=True, type=_fiscal_year, metavar="N", help="年度")
    p.add_argument("--kpi", required=True, action="append", metavar="CODE=VALUE[,CODE=VALUE…]",
                   help="公表値（例: matching_total=184,forums_held=33）")
    p.add_argument("--note", default=None, metavar="TEXT", help="出典など（例: 令和5年度 事業報告）")

    p = command("history", "KPI の年度ごとの推移を表示します")
    p.add_argument("--kpi", metavar="CODE", choices=KPI_CODES, help="一つの KPI だけにします")
    p.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")

    p = command("audit", "変更履歴（だれが・いつ・どの記録のどの項目を・どう変えたか）を新しい順に表示します")
    p.add_argument("--record", metavar="ID", help="一つの記録（id）の履歴だけにします")
    p.add_argument("--since", type=_audit_moment, metavar="DATE", help="この日（YYYY-MM-DD）以降の変更だけにします")
    p.add_argument("--until", type=_audit_moment, metavar="DATE", help="この日（YYYY-MM-DD）までの変更だけにします")
    p.add_argument("--by", metavar="NAME", help="この人の変更だけにします（変更履歴に記録された名前）")
    p.add_argument("--org", metavar="CODE", choices=ORG_CODES,
                   help="この組織の記録の変更と、この組織から受け取った変更だけにします")
    p.add_argument("--entity", metavar="ENTITY", help="一つの種類の記録だけにします（needs, events など）")
    p.add_argument("--limit", type=int, metavar="N", help="新しいものから N 件だけ表示します")
    p.add_argument("--include-contacts", action="store_true",
                   help="担当者連絡先（個人情報）の変更前後の値も表示します（既定: 表示しません）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")

    p = command("received", "年度ごとに、どの組織から同期パッケージを受け取ったかを表示します")
    p.add_argument("--fy", required=True, type=_fiscal_year, metavar="N", help="年度")
    p.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")

    p = command("undo-import", "最近の同期パッケージの取り込みを取り消し、取り込む前の状態に戻します（それより新しい取り込みも"
                "一緒に取り消します。取り込んだあとで変更された記録があれば、何も変更せずに断ります）。PACKAGE なし: "
                "取り消せる取り込みの一覧")
    p.add_argument("package", nargs="?", metavar="PACKAGE", help="取り消す取り込みのパッケージID（一覧の番号でも可）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")

    report = subcommands(command("report", "PDF のレポートを作ります"), "report_kind", "KIND", "レポートの種類")
    # Every report takes --fy (matching sheets may leave it out: then every year) and --out; a plan is one org's.
    for name, summary, every_year in (
        ("plan", "フォーラムの活動計画・実績（PDF）", False),
        ("kpi", "KPI 実績報告（PDF）", False),
        ("matching", "マッチング情報シート（PDF）", True),
        ("map", "市区町村長会議 参画率・行政会員 加入状況マップ（PDF）", False),
    ):
        rp = report(name, summary)
        if name == "plan":
            rp.add_argument("--org", required=True, metavar="CODE", help="組織コード（例: chugoku）")
        rp.add_argument("--fy", required=not every_year, type=_fiscal_year, metavar="N",
                        help="年度（省略するとすべて）" if every_year else "年度")
        rp.add_argument("--out", required=True, metavar="FILE", help="書き出す PDF")
        if name == "kpi":
            rp.add_argument("--with-records", action="store_true", help="各数値のもとになった記録の一覧を付けます")

    p = command("export-xlsx", "一覧を Excel に書き出します")
    p.add_argument("page", metavar="PAGE",
                   help="一覧（events, pitch_events, needs, seeds, matchings, trials, support）")
    p.add_argument("--out", required=True, metavar="FILE", help="書き出す .xlsx")
    p.add_argument("--fy", type=_fiscal_year, metavar="N", help="年度で絞り込み")
    p.add_argument("--include-contacts", action="store_true",
                   help="ニーズ・シーズの担当者連絡先（個人情報: 氏名・部署・メールアドレス・電話番号）も書き出します")

    p = command("import-xlsx", "Excel のニーズ調査票・活動計画表を取り込みます")
    p.add_argument("kind", choices=("needs", "events"), help="needs: ニーズ調査票／events: 活動計画表")
    p.add_argument("file", metavar="FILE", help="取り込む .xlsx")
    p.add_argument("--only-good-rows", action="store_true", help="誤りのある行を飛ばし、正しい行だけ取り込みます")
    p.add_argument("--fy", type=_fiscal_year, metavar="N", help="活動計画表の年度（開催予定日の読み取りに使います）")

    p = command("template", "Excel の記入用テンプレートを書き出します")
    p.add_argument("kind", choices=("needs", "events"), help="needs: ニーズ調査票／events: 活動計画表")
    p.add_argument("--out", required=True, metavar="FILE", help="書き出す .xlsx")
    p.add_argument("--fy", type=_fiscal_year, metavar="N", help="年度（既定: 今年度）")
    p.add_argument("--survey", default="", help="ニーズ調査の名前（例: 第7回ニーズ調査）")

    p = command("demo", "デモデータを読み込みます（令和6年度の計画と、ニーズ・シーズ・マッチングの例）")
    p.add_argument("--org", metavar="CODE", help="まだ初期化していなければ、この組織として初期化します")

    backup = subcommands(command("backup", "データベースのバックアップを一覧・作成・復元します"), "backup_command")
    bp = backup("list", "バックアップを新しい順に表示します",
                "自動・手動のバックアップを新しい順（日時、同じ秒の中は番号）に表示します")
    bp.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")
    bp = backup("restore", "バックアップから復元します",
                "FILE のバックアップから復元します。今のデータベースは jcim.before-restore-日時.sqlite3 として"
                "同じフォルダに残します。共有データベース（PostgreSQL）では、ほかに接続している人がいれば断り、"
                "今の状態を jcim-日時-before-restore.pgdump としてバックアップしてから戻します"
                "（使っている全員のデータが戻り、各端末は新しい端末IDで続けます）")
    bp.add_argument("file", metavar="FILE", help="復元するバックアップ（backup list に出るファイル、またはその名前）")
    backup("create", "今すぐバックアップを作ります")
    bp = backup("fresh", "壊れたデータベースを残して新しく始めます",
                "壊れたデータベースを jcim.damaged-日時.sqlite3 として残し、空のデータベースで"
                "新しく始めます（この端末の鍵はそのまま使います）")
    bp.add_argument("--org", metavar="CODE", help="組織コード（記録が残っていないときだけ必要です）")
    bp.add_argument("--user", default="", metavar="NAME", help="利用者名（変更履歴に記録されます）")

    db = subcommands(command("db", "データベースを更新・確認します（管理者向け）"), "db_command")
    dp = db("migrate", "データベースをこの版のスキーマに更新します",
            "共有データベース（--database-url）またはデータフォルダの SQLite を、この版のスキーマに更新します。"
            "データが入っていれば、先にバックアップを作ります（データフォルダの backups に）。"
            "空の PostgreSQL データベースにも使えます（端末の登録は要りません。各職員はそのあと init で登録します）")
    dp.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")
    dp = db("check", "データベースを確かめ、書き込む端末を一覧します",
            "データベースに接続し、種類と場所、スキーマの版（この版と比べて）、SQLite では quick_check、"
            "書き込む端末（組織・端末ID・鍵ID・登録日時・最後の変更）とバックアップを表示します。"
            "問題があれば終了コード 1 で終わります")
    dp.add_argument("--format", choices=("text", "json"), default="text", help="出力形式")

    p = command("gui", "ウィンドウを開きます")
    p.add_argument("--screenshot", metavar="DIR", help="各画面を DIR/<page>.png に保存して終了します")
    p.add_argument("--size", metavar="幅x高さ", type=_window_size, default=(1280, 800),
                   help="--screenshot の画面の大きさ（既定: 1280x800、最小: 1024x680）")
    p.add_argument("--language", choices=("ja", "en"), help="この起動に限って表示言語を変えます（既定: 設定の言語）")

    for subcommand in nested:
        _data_dir_option(subcommand, argparse.SUPPRESS)
    return parser


def _open(args: argparse.Namespace) -> Any:
    from jcim_desktop.services.context import open_app

    ctx = open_app(args.data_dir)
    for warning in ctx.db.warnings:
        print(f"注意: {warning}", file=sys.stderr)
    return ctx


def cmd_init(args: argparse.Namespace) -> int:
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.sync.keys import key_id

    with closing(init_installation(args.org, args.data_dir, user_name=args.user)) as ctx:
        print(
            f"初期化しました: {ctx.org_name}（{ctx.org}）\n"
            f"  データフォルダ: {ctx.data_dir}\n  端末ID: {ctx.installation_id}\n  鍵ID: {key_id(ctx.public_key)}",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_key(args: argparse.Namespace) -> int:
    from jcim_desktop.sync.keys import key_id

    if args.key_command == "add-recipient" or args.age:
        return _age_key(args)
    with closing(_open(args)) as ctx:
        out = Path(args.out)
        try:
            out.write_text(ctx.public_key + "\n", encoding="ascii")
        except OSError as exc:
            raise user_error_from_os(exc, "公開鍵の書き出し", out) from exc
        print(f"公開鍵を書き出しました: {out}（鍵ID {key_id(ctx.public_key)}）", file=sys.stderr)
    return EXIT_OK


def _age_key(args: argparse.Namespace) -> int:
    """``key export --age`` and ``key add-recipient`` (SYNC_FORMAT §7)."""
    from jcim_desktop.domain.orgs import ORGS, org_name
    from jcim_desktop.services import encryption

    if args.key_command == "add-recipient" and args.org is not None and args.org not in ORGS:
        raise UsageError(f"組織コード「{args.org}」はありません。使えるコード: {', '.join(ORGS)}")
    with closing(_open(args)) as ctx:
        if args.key_command == "export":
            out = encryption.export_recipient(ctx, args.out)
            print(f"受信者（age）を書き出しました: {out}（{encryption.own_recipient(ctx)}）", file=sys.stderr)
            return EXIT_OK
        for recipient in encryption.read_recipients_file(args.file):
            added = encryption.add_recipient(ctx, recipient, org=args.org, label=args.label)
            whose = f"（{org_name(added.org)}）" if added.org else ""
            print(f"暗号化の宛先に登録しました: {added.recipient}{whose}", file=sys.stderr)
    return EXIT_OK


def _passphrase(confirm: bool) -> str:
    """The passphrase: from JCIM_DESKTOP_PASSPHRASE, else typed on the terminal (twice to
    ``confirm`` a new one); refused when empty or, for a new one, short."""
    import getpass
    import os

    from jcim_desktop.services.identity import PASSPHRASE_ENV, check_passphrase

    given = os.environ.get(PASSPHRASE_ENV)
    if given is not None:
        return check_passphrase(given) if confirm else given
    try:
        typed = getpass.getpass("パスフレーズ: ")
        if not confirm:
            return typed
        check_passphrase(typed)
        if getpass.getpass("確認のため、もう一度入力してください: ") != typed:
            raise UserError("2 回入力したパスフレーズが一致しません。もう一度やり直してください。何も書き出していません。")
    except EOFError as exc:
        raise UserError(
            f"パスフレーズが入力されませんでした。端末で実行するか、環境変数 {PASSPHRASE_ENV} で渡してください。"
        ) from exc
    return typed


def cmd_identity(args: argparse.Namespace) -> int:
    from jcim_desktop.services import identity
    from jcim_desktop.sync.keys import key_id

    if args.identity_command == "export":
        with closing(_open(args)) as ctx:
            done = identity.export_identity(ctx, args.out, _passphrase(confirm=True))
            print(
                f"鍵を書き出しました: {done.path}\n"
                f"  {ctx.org_name}（{ctx.org}）、端末ID {ctx.installation_id}、鍵ID {done.key_id}\n"
                "このファイルとパスフレーズがあれば、この端末として署名できます。別々に運び、"
                "新しいパソコンで読み込んだらファイルを削除してください。",
                file=sys.stderr,
            )
        return EXIT_OK
    folder = identity.check_import_target(args.data_dir)
    result = identity.import_identity(args.file, _passphrase(confirm=False), folder, user_name=args.user)
    with closing(result.ctx) as ctx:
        print(
            f"鍵を読み込みました: {ctx.org_name}（{ctx.org}）、鍵ID {key_id(ctx.public_key)}\n"
            f"  データフォルダ: {ctx.data_dir}\n"
            f"  端末ID: {ctx.installation_id}（古いパソコンでは {result.previous_installation_id}）\n"
            "続けて、古いパソコンから持ってきた最新のバックアップを「jcim-desktop backup restore ファイル」で"
            "復元してください（バックアップがなければ、事務局の全国パッケージを取り込むと送ってあった記録が戻ります）。"
            "古いパソコンではもうこのアプリを使わないでください。",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_tally(args: argparse.Namespace) -> int:
    from jcim_desktop.services.tally import explain, tally

    if args.org and not args.explain:
        raise UsageError("--org は --explain と一緒に指定してください。")
    if args.with_records and args.format != "pdf":
        raise UsageError("--with-records は --format pdf と一緒に指定してください。")
    if args.live and (args.explain or args.format in ("xlsx", "pdf")):
        raise UsageError("--live は JSON の集計にだけ使えます（--explain はいつも記録から数えます）。")
    if args.explain:
        if args.format not in (None, "json") or args.out:
            raise UsageError("--explain の結果は標準出力に出します（--format は json だけ、--out は使えません）。")
        with closing(_open(args)) as ctx:
            explained = explain(ctx, args.fy, args.explain, args.org)
        if args.format == "json":
            print(json.dumps(explained, ensure_ascii=False, indent=2))
        else:
            _print_explanation(explained)
        return EXIT_OK
    args.format = args.format or "json"
    if args.format in ("xlsx", "pdf"):
        if not args.out:
            raise UsageError(f"--format {args.format} では --out で書き出すファイルを指定してください。")
        with closing(_open(args)) as ctx:
            if args.format == "xlsx":
                from jcim_desktop.services.excel_export import export_tally_xlsx

                path = export_tally_xlsx(ctx, args.fy, Path(args.out))
            else:
                from jcim_desktop.services.reports import kpi_report_pdf

                path = kpi_report_pdf(ctx, args.fy, Path(args.out), with_records=args.with_records)
        print(f"書き出しました: {path}", file=sys.stderr)
        return EXIT_OK
    with closing(_open(args)) as ctx:
        result = tally(ctx, args.fy, live=args.live)
    closed = result.get("closed")
    if closed:
        from jcim_desktop.domain.fiscal import format_fiscal_year

        what = "記録から計算し直した数値です（--live）" if args.live else "確定した数値です（記録から数え直すには --live）"
        print(f"{format_fiscal_year(args.fy)}は確定済みです（{closed['at'][:10]}、{closed['by']}）。{what}。", file=sys.stderr)
        if result.get("live_differs"):
            print(f"確定後に変わった KPI: {', '.join(result['live_differs'])}", file=sys.stderr)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        try:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise user_error_from_os(exc, "集計結果の書き出し", args.out) from exc
    else:
        print(text)
    return EXIT_OK


def _print_explanation(explained: dict[str, Any]) -> None:
    """``tally --explain`` for people: the figure, then one line a record."""
    from jcim_desktop.domain.entities import ENTITY_LABELS
    from jcim_desktop.domain.fiscal import format_fiscal_year
    from jcim_desktop.domain.kpi import KPI_BY_CODE
    from jcim_desktop.domain.orgs import org_name

    scope = org_name(explained["org"]) if explained["org"] else "全体"
    label = KPI_BY_CODE[explained["kpi"]].label
    print(f"{format_fiscal_year(explained['fiscal_year'])} {label}（{scope}）: {explained['value']}"
          f"　もとになった記録 {len(explained['records']):,} 件")
    for record in explained["records"]:
        where = f"　{record['lg_code']}" if record["lg_code"] else ""
        print(f"{record['date'] or '日付なし'}　{ENTITY_LABELS.get(record['entity'], record['entity'])}　"
              f"{org_name(record['owner'])}　{record['title']}{where}　{record['id']}")


def cmd_demo(args: argparse.Namespace) -> int:
    from jcim_desktop.services import demo
    from jcim_desktop.services.context import init_installation, is_initialized, resolve_data_dir

    folder = resolve_data_dir(args.data_dir)
    if not is_initialized(folder):
        if not args.org:
            raise UserError(
                f"データフォルダ {folder} はまだ初期化されていません。--org 組織コード を付けると初期化してから読み込みます。"
            )
        init_installation(args.org, folder).close()
    with closing(_open(args)) as ctx:
        if demo.is_loaded(ctx):
            # Asking for demo data that is already there is not a refusal: the wish is met.
            print(f"{demo.ALREADY_LOADED}（{folder}）", file=sys.stderr)
            return EXIT_OK
        summary = demo.load_demo(ctx)
    lines = "\n".join(f"  {label}: {n} 件" for label, n in summary.items())
    print(f"デモデータを読み込みました（{folder}）:\n{lines}", file=sys.stderr)
    return EXIT_OK


def _window_size(text: str) -> tuple[int, int]:
    """``1024x680`` → (1024, 680); the window is never smaller than 1024×680."""
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」は大きさとして読めません。1024x680 のように幅x高さで指定してください。") from None
    if width < 1024 or height < 680:
        raise argparse.ArgumentTypeError(f"{width}x{height} は最小の 1024x680 より小さい大きさです。")
    return width, height


def cmd_gui(args: argparse.Namespace) -> int:
    from jcim_desktop.system import check_window_libraries

    # Before Qt loads: a missing libxcb-* names its Debian package instead of Qt's abort.
    check_window_libraries(screenshot=getattr(args, "screenshot", None) is not None)
    try:
        from jcim_desktop.ui.app import run
    except ImportError as exc:
        raise UserError("この版にはまだウィンドウがありません。") from exc
    return int(run(data_dir=args.data_dir, screenshot_dir=getattr(args, "screenshot", None),
                   language_override=getattr(args, "language", None),
                   screenshot_size=getattr(args, "size", (1280, 800))))


def _revocation_date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"失効日「{text}」が読めません。YYYY-MM-DD の形で指定してください（例: 2024-07-10）。") from exc


def _trust_source(t: Any) -> str:
    """Where a trusted key comes from, for ``trust list``."""
    if t.registered and not t.by_hand:
        return f"事務局が登録（{t.label}）"
    if t.registered:
        return f"手動で追加・事務局も登録（{t.label}）"
    return "手動で追加"


def cmd_trust(args: argparse.Namespace) -> int:
    from jcim_desktop.services import key_registry, sync

    with closing(_open(args)) as ctx:
        if args.trust_command == "add":
            orgs = sync.parse_orgs(args.org)
            trusted = sync.trust_key(ctx, _read_key_file(args.file), orgs, args.note)
            print(f"信頼しました: 鍵ID {trusted.key_id}（書いてよい組織: {trusted.org_names}）", file=sys.stderr)
            if trusted.registered:
                print(f"事務局の登録名「{trusted.label}」で登録しました。次の配布用パッケージ（export --scope national）で"
                      "各フォーラムに届き、事務局の鍵を信頼している端末はこの鍵も信頼します。", file=sys.stderr)
        elif args.trust_command == "list":
            rows = sync.list_trust(ctx)
            if not rows:
                print("信頼済みの鍵はありません。", file=sys.stderr)
            for t in rows:
                until = f"\t失効日 {t.revoked_on}" if t.revoked_on else ""
                note = f"　{t.note}" if t.note else ""
                print(f"{t.key_id}\t{t.org_names}\t{t.added_at}\t{_trust_source(t)}{until}{note}")
        elif args.trust_command == "revoke":
            key = _read_key_file(args.key) if Path(args.key).is_file() else args.key
            revoked = key_registry.revoke_key(ctx, key, args.on)
            print(f"失効させました: 鍵ID {revoked.key_id}（{revoked.label}）失効日 {revoked.revoked_on}。"
                  "この日より後に作成されたこの鍵のパッケージは受け付けません。次の配布用パッケージ"
                  "（export --scope national）で各フォーラムに伝わります。", file=sys.stderr)
        else:
            key = args.key
            if Path(key).is_file():
                key = _read_key_file(key)
            removed = sync.remove_trust(ctx, key, unregister=args.unregister)
            if removed.registered and ctx.is_secretariat:
                print(f"登録を取り消しました: 鍵ID {removed.key_id}（{removed.label}）。次の配布用パッケージで"
                      "各フォーラムに伝わります。", file=sys.stderr)
            else:
                print(f"信頼をやめました: 鍵ID {removed.key_id}（{removed.org_names}）", file=sys.stderr)
                if removed.registered:
                    print(f"この鍵は事務局が登録した鍵でもあるため（{removed.label}）、登録された組織の記録は"
                          "引き続き受け付けます。", file=sys.stderr)
    return EXIT_OK


def _read_key_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"公開鍵のファイル {path} を読めません。key export で書き出したファイルを指定してください。") from exc


def cmd_export(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.entities import ENTITY_LABELS
    from jcim_desktop.services import encryption, sync

    # The recipients first: a bad line is refused before anything is written or numbered.
    recipients = encryption.read_recipients_file(args.encrypt_to) if args.encrypt_to else []
    with closing(_open(args)) as ctx:
        result = sync.export_package(ctx, args.out, scope=args.scope, include_contacts=args.include_contacts,
                                     encrypt_to=recipients)
    detail = "、".join(f"{ENTITY_LABELS.get(e, e)} {n:,}" for e, n in result.counts.items()) or "記録なし"
    contacts = "含む" if result.includes_contacts else "含まない"
    print(f"書き出しました: {result.path}（第{result.sequence}号、{result.total:,} 件: {detail}。担当者連絡先は{contacts}）",
          file=sys.stderr)
    if result.encrypted_to:
        print(f"受信者 {len(result.encrypted_to)} 件宛てに age で暗号化しました（開けるのはその受信者だけです）。",
              file=sys.stderr)
        if not result.path.name.endswith(encryption.SUFFIX):
            print(f"注意: 暗号化したパッケージの名前は {encryption.SUFFIX} で終えることになっています"
                  f"（書き出したファイルの名前は指定どおり {result.path.name} です）。", file=sys.stderr)
    elif result.includes_contacts:
        print("注意: 担当者連絡先（個人情報）を暗号化せずに書き出しました。受け取る側の受信者（age1…）がわかれば、"
              "--encrypt-to 受信者ファイル で暗号化できます。", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.orgs import org_name
    from jcim_desktop.services import sync
    from jcim_desktop.store.testpoints import pause_at

    try:
        ctx = _open(args)
    except UserError as exc:
        if args.format == "json":
            # Scripts still get one outcome per package: none was merged, for this reason.
            print(json.dumps([sync.ImportOutcome(str(f), "rejected", reason=exc.message, code="not_opened").as_json()
                              for f in args.files], ensure_ascii=False, indent=2))
        raise
    with closing(ctx):
        outcomes = sync.import_packages(ctx, args.files)
        pause_at("after-import")
    if args.format == "json":
        print(json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=2))
    for o in outcomes:
        if o.status == "rejected":
            print(f"拒否: {o.file} — {o.reason}", file=sys.stderr)
            continue
        c = o.counts
        note = "" if o.newer else "（この送り主からは既にこれ以降のパッケージを受け取っています。内容は照合のみです）"
        print(f"受理: {o.file}（{org_name(o.org or '')} 第{o.sequence}号）追加 {c.inserted:,}・更新 {c.updated:,}・"
              f"変更なし {c.unchanged:,}・競合 {c.conflicts:,}{note}", file=sys.stderr)
    return EXIT_REFUSED if any(o.status == "rejected" for o in outcomes) else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.orgs import ORGS
    from jcim_desktop.services import reports

    with closing(_open(args)) as ctx:
        out = Path(args.out)
        if args.report_kind == "plan":
            if args.org not in ORGS:
                raise UserError(f"組織コード「{args.org}」はありません。使えるコード: {', '.join(ORGS)}")
            path = reports.plan_report_pdf(ctx, args.org, args.fy, out)
        elif args.report_kind == "kpi":
            path = reports.kpi_report_pdf(ctx, args.fy, out, with_records=args.with_records)
        elif args.report_kind == "matching":
            path = reports.matching_sheets_pdf(ctx, out, fy=args.fy)
        else:
            path = reports.participation_map_pdf(ctx, out, args.fy)
    print(f"書き出しました: {path}", file=sys.stderr)
    return EXIT_OK


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from jcim_desktop.services import excel_export, personal_data
    from jcim_desktop.services.records import Query

    if args.page not in excel_export.PAGES:
        raise UsageError(f"一覧「{args.page}」はありません。選べる一覧: {', '.join(excel_export.PAGES)}")
    with closing(_open(args)) as ctx:
        query = Query(fiscal_year=args.fy) if args.fy else None
        contacts = args.include_contacts and excel_export.has_contacts(args.page)
        path = excel_export.export_list_xlsx(ctx, args.page, Path(args.out), query=query, include_contacts=contacts)
        held = excel_export.list_contact_counts(ctx, args.page, query) if contacts else None
    print(f"書き出しました: {path}", file=sys.stderr)
    if excel_export.has_contacts(args.page):
        print(personal_data.describe(held), file=sys.stderr)
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from jcim_desktop.services import excel_import

    with closing(_open(args)) as ctx:
        report = excel_import.import_workbook(ctx, args.kind, Path(args.file), fiscal_year=args.fy,
                                              only_good_rows=args.only_good_rows)
    print(report.summary(), file=sys.stderr)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from jcim_desktop.services import excel_import

    with closing(_open(args)) as ctx:
        path = excel_import.write_template(ctx, args.kind, Path(args.out), survey_name=args.survey, fiscal_year=args.fy)
    print(f"書き出しました: {path}", file=sys.stderr)
    return EXIT_OK


def _size_label(size: int) -> str:
    from jcim_desktop.ui.fmt import size_label

    return size_label(size)


def _when_label(when: Any) -> str:
    from jcim_desktop.ui.fmt import datetime_label

    return datetime_label(when)


def _command_line(args: argparse.Namespace, *words: str) -> str:
    """The exact command to type, with this run's --data-dir, quoted for the shell in use."""
    import shlex
    import subprocess

    argv = ["jcim-desktop"]
    if args.data_dir:
        argv += ["--data-dir", str(args.data_dir)]
    argv += list(words)
    if sys.platform == "win32":
        return subprocess.list2cmdline(argv)
    return " ".join(shlex.quote(a) if a != "組織コード" else a for a in argv)


def _damaged_message(args: argparse.Namespace, damaged: Any) -> str:
    """A damaged database: what is wrong, the newest good backup, and the two ways on."""
    from jcim_desktop.services import backups

    folder = damaged.db_path.parent
    lines = [f"データベース（{damaged.db_path}）が壊れています: {damaged.detail}。"]
    good = damaged.good_backup
    kept = backups.kept_name_preview(folder, damaged=True).name
    kept = re.sub(r"-\d{8}-\d{6}(-\d+)?\.", "-（日時）.", kept)
    if good is not None:
        lines += [
            f"最新の正常なバックアップ: {_when_label(good.taken_at)}（{good.reason_label}）",
            f"  {good.path}",
            f"このバックアップから復元するには（壊れたファイルは {kept} として残します。"
            "バックアップより後の変更は含まれません）:",
            f"  {_command_line(args, 'backup', 'restore', str(good.path))}",
        ]
    else:
        lines.append("正常なバックアップは見つかりませんでした。")
    fresh = ["backup", "fresh"]
    if backups.recorded_org(folder) is None:
        fresh += ["--org", "組織コード"]
    lines += [
        f"{'バックアップを使わずに' if good is not None else ''}新しく始めるには（壊れたファイルは {kept} として残し、"
        "この端末の鍵は引き継ぎます）:",
        f"  {_command_line(args, *fresh)}",
    ]
    return "\n".join(lines)


def cmd_backup(args: argparse.Namespace) -> int:
    from jcim_desktop.services import backups
    from jcim_desktop.services.context import resolve_data_dir

    folder = resolve_data_dir(args.data_dir)
    if args.backup_command == "list":
        found = backups.list_backups(folder)
        if args.format == "json":
            print(json.dumps([
                {"file": str(b.path), "name": b.path.name, "taken_at": b.taken_at.isoformat(timespec="seconds"),
                 "sequence": b.sequence, "reason": b.reason, "reason_label": b.reason_label, "size": b.size}
                for b in found
            ], ensure_ascii=False, indent=2))
            return EXIT_OK
        if not found:
            print(f"バックアップはありません（{backups.backup_dir(folder)}）。", file=sys.stderr)
        else:
            print(f"バックアップ（新しい順）: {backups.backup_dir(folder)}", file=sys.stderr)
        for b in found:
            print(f"{_when_label(b.taken_at)}\t{b.reason_label}\t{_size_label(b.size)}\t{b.path}")
        others = backups.colleagues_backups(folder)
        if others:
            print("ほかの職員が取った共有データベースのバックアップ（その人の端末にあります）:", file=sys.stderr)
            for r in others:
                print(f"  {_when_label(r.taken_at)}\t{r.reason_label}\t{r.user_name or '（名前なし）'}\t{r.file}",
                      file=sys.stderr)
        return EXIT_OK
    if args.backup_command == "restore":
        result = backups.restore(folder, args.file)
        what = (f"{_when_label(result.backup.taken_at)}（{result.backup.reason_label}）のバックアップ"
                if result.backup is not None else "バックアップ")
        if result.shared is not None:
            lines = [f"{what}から共有データベース（{result.shared}）を復元しました: {result.source}"]
            if result.kept is not None:
                lines.append(f"復元する前の共有データベースは {result.kept} にバックアップしました"
                             "（backup restore でその状態に戻せます）。")
            if result.renewed:
                lines.append(f"登録されている {result.renewed} 台の端末は、新しい端末IDで続けます"
                             "（同じ組織・同じ鍵。各職員の端末は次に開いたときに切り替わります）。")
            print("\n".join(lines), file=sys.stderr)
            return EXIT_OK
        lines = [f"{what}から復元しました: {result.source}"]
        if result.kept is not None:
            state = "壊れていた" if result.damaged else "今までの"
            lines.append(f"{state}データベースは {result.kept} として残しました。")
        print("\n".join(lines), file=sys.stderr)
        # Open it once: it is checked and, if it came from an older version, upgraded now.
        _open(args).close()
        return EXIT_OK
    if args.backup_command == "create":
        with closing(_open(args)) as ctx:
            made = backups.take_backup(ctx)
        print(f"バックアップを作りました: {made.path}（{_size_label(made.size)}）", file=sys.stderr)
        return EXIT_OK
    from jcim_desktop.sync.keys import key_id

    started = backups.start_fresh(folder, org=args.org, user_name=args.user)
    with closing(started.ctx) as ctx:
        lines = [f"新しく始めました: {ctx.org_name}（{ctx.org}）、端末ID {ctx.installation_id}"]
        if started.kept is not None:
            lines.append(f"壊れたデータベースは {started.kept} として残しました。")
        if started.new_key:
            lines.append(f"鍵が見つからなかったため、新しい鍵（鍵ID {key_id(ctx.public_key)}）を作りました。"
                         "事務局やほかの端末に、この鍵をもう一度信頼してもらってください（key export）。")
        else:
            lines.append(f"この端末の鍵（鍵ID {key_id(ctx.public_key)}）は引き継いだので、ほかの端末の信頼はそのままです。")
        lines.append("信頼していた鍵は「jcim-desktop trust add」で設定し直してください。"
                     "事務局の全国パッケージを取り込むと、送ってあった記録が戻ります。")
        print("\n".join(lines), file=sys.stderr)
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    from jcim_desktop.services import database_admin

    if args.db_command == "migrate":
        result = database_admin.migrate(args.data_dir)
        if args.format == "json":
            print(json.dumps({"engine": result.engine, "location": result.location, "before": result.before,
                              "after": result.after, "backup": str(result.backup) if result.backup else None},
                             ensure_ascii=False, indent=2))
        if not result.changed:
            print(f"データベース（{result.location}）は最新のスキーマです（{result.after}）。何も変更していません。",
                  file=sys.stderr)
        elif result.before is None:
            print(f"空のデータベース（{result.location}）に JCIM Desktop の表を作りました（スキーマ {result.after}）。\n"
                  "各職員は自分のデータフォルダで「jcim-desktop init --org secretariat --database-url …」を実行して、"
                  "端末を登録してください。", file=sys.stderr)
        else:
            backup = f"\n更新前のバックアップ: {result.backup}" if result.backup else ""
            print(f"データベース（{result.location}）のスキーマを {result.before} から {result.after} に更新しました。{backup}",
                  file=sys.stderr)
        return EXIT_OK
    found = database_admin.check(args.data_dir)
    if args.format == "json":
        print(json.dumps(_check_json(found), ensure_ascii=False, indent=2))
    else:
        _print_check(found)
    for problem in found.problems:
        print(f"問題: {problem}", file=sys.stderr)
    if found.ok:
        print("問題は見つかりませんでした。", file=sys.stderr)
    return EXIT_OK if found.ok else EXIT_REFUSED


def _moment_json(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _check_json(found: Any) -> dict[str, Any]:
    newest = found.newest_backup
    return {
        "ok": found.ok, "engine": found.engine, "location": found.location, "connected": found.connected,
        "revision": found.revision, "app_revision": found.app_revision, "schema": found.schema,
        "integrity": found.integrity, "collation": found.collation,
        "installations": [
            {"id": i.id, "org": i.org, "org_name": i.org_name, "key_id": i.key_id,
             "created_at": _moment_json(i.created_at), "latest_change": _moment_json(i.latest_change),
             "this": i.is_this}
            for i in found.installations
        ],
        "backup_dir": str(found.backup_dir),
        "newest_backup": str(newest.path) if newest is not None else None,
        "problems": found.problems, "notes": found.notes,
    }


_SCHEMA_WORDS = {"current": "最新", "older": "古い（db migrate で更新してください）",
                 "newer": "この版より新しい（アプリを新しい版にしてください）", "empty": "まだありません（db migrate で作ってください）"}
_ENGINE_WORDS = {"postgresql": "PostgreSQL（共有データベース）", "sqlite": "SQLite（このパソコンのデータベース）"}


def _print_check(found: Any) -> None:
    """``db check`` for people: the database, its schema, its installations, the backups."""
    print(f"データベース: {_ENGINE_WORDS.get(found.engine, found.engine)}　{found.location}")
    if found.connected:
        print(f"スキーマ: {found.revision or 'なし'}（この版: {found.app_revision}）　"
              f"{_SCHEMA_WORDS.get(found.schema, found.schema)}")
    if found.engine == "sqlite" and found.connected:
        print(f"ファイルの確認（quick_check）: {found.integrity or '正常'}")
    if found.collation is not None:
        print(f"照合順序: {found.collation}")
    if found.installations:
        print(f"書き込む端末（{len(found.installations)} 台）:")
        for i in found.installations:
            registered = _when_label(i.created_at) if i.created_at else "不明"
            latest = _when_label(i.latest_change) if i.latest_change else "不明"
            mark = "　← このデータフォルダ" if i.is_this else ""
            print(f"  {i.org_name}（{i.org}）　端末ID {i.id}　鍵ID {i.key_id}　登録 {registered}　最後の変更 {latest}{mark}")
    elif found.connected and found.revision is not None:
        print("書き込む端末: なし")
    newest = found.newest_backup
    newest_text = f"最新 {_when_label(newest.taken_at)}（{newest.reason_label}）" if newest is not None else "まだありません"
    print(f"バックアップ: {found.backup_dir}　{newest_text}")
    for note in found.notes:
        print(f"注意: {note}")


def cmd_close(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.fiscal import format_fiscal_year
    from jcim_desktop.services import closing as year_close

    with closing(_open(args)) as ctx:
        year_close.close_year(ctx, args.fy, args.note)
    print(f"{format_fiscal_year(args.fy)}の集計を確定しました。次の全国パッケージで各フォーラムに届きます。", file=sys.stderr)
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.fiscal import format_fiscal_year
    from jcim_desktop.services import closing as year_close

    with closing(_open(args)) as ctx:
        year_close.reopen_year(ctx, args.fy)
    print(f"{format_fiscal_year(args.fy)}の確定を取り消しました。集計は記録から計算した数値に戻ります。", file=sys.stderr)
    return EXIT_OK


def _kpi_values(items: Sequence[str]) -> dict[str, str]:
    """``CODE=VALUE[,CODE=VALUE…]`` (the option may be repeated) → code → typed text."""
    pairs: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            code, sep, value = part.partition("=")
            if not sep or not code.strip() or not value.strip():
                raise UsageError(f"--kpi の「{part}」は CODE=VALUE の形で指定してください（例: matching_total=184）。")
            if code.strip() not in KPI_CODES:
                raise UsageError(f"--kpi の KPI コード「{code.strip()}」はありません。使えるコード: {', '.join(KPI_CODES)}")
            pairs[code.strip()] = value.strip()
    return pairs


def cmd_published(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.fiscal import format_fiscal_year
    from jcim_desktop.services import closing as year_close

    pairs = _kpi_values(args.kpi)
    if not pairs:
        raise UsageError("--kpi で公表値を一つ以上指定してください（例: matching_total=184）。")
    with closing(_open(args)) as ctx:
        year_close.record_published(ctx, args.fy, year_close.published_figures(pairs), args.note)
    print(f"{format_fiscal_year(args.fy)}の公表値を記録しました（{len(pairs)} 項目）。", file=sys.stderr)
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from jcim_desktop.services.history import history

    with closing(_open(args)) as ctx:
        result = history(ctx, args.kpi)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    from jcim_desktop.domain.fiscal import format_fiscal_year
    from jcim_desktop.domain.kpi import KPI_BY_CODE

    codes = [args.kpi] if args.kpi else list(KPI_CODES)
    for code in codes:
        kpi = KPI_BY_CODE[code]
        print(kpi.label)
        for year, figures in result["years"].items():
            entry = figures.get(code)
            if entry is None:
                continue
            total, target = entry["total"], entry["target"]
            shown = (lambda v: f"{v:.1%}") if kpi.is_rate else (lambda v: f"{v:,}")
            goal = f"　目標 {shown(target)}　達成率 {total / target:.0%}" if target else ""
            state = "確定" if entry["closed"] else "集計中"
            print(f"  {format_fiscal_year(int(year))}　{shown(total)}{goal}　{state}")
    return EXIT_OK


def _audit_moment(text: str) -> Any:
    """``--since`` / ``--until``: a day (2024-07-01) or a moment (2024-07-01T09:30)."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」は日付として読めません。2024-07-01 のように指定してください") from None


def cmd_audit(args: argparse.Namespace) -> int:
    from jcim_desktop.domain.entities import ENTITIES
    from jcim_desktop.services import audit

    if args.entity is not None and args.entity not in ENTITIES:
        raise UsageError(f"--entity に「{args.entity}」は指定できません。選べる値: {', '.join(ENTITIES)}")
    record = args.record.strip().lower() if args.record else None
    with closing(_open(args)) as ctx:
        rows = audit.audit(ctx, record_id=record, since=args.since, until=args.until, person=args.by, org=args.org,
                           entity=args.entity, limit=args.limit)
        registry = ctx.registry
    if args.format == "json":
        print(json.dumps([audit.as_json(row, include_contacts=args.include_contacts) for row in rows],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("該当する変更はありません。", file=sys.stderr)
        return EXIT_OK
    for row in rows:
        print("\n".join(audit.text_lines(row, include_contacts=args.include_contacts, registry=registry)))
    return EXIT_OK


def cmd_received(args: argparse.Namespace) -> int:
    from jcim_desktop.services.received import package_day, received

    with closing(_open(args)) as ctx:
        result = received(ctx, args.fy)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    from jcim_desktop.domain.fiscal import format_fiscal_year
    from jcim_desktop.domain.orgs import org_name

    print(f"{format_fiscal_year(args.fy)}の受信状況")
    missing = result.get("missing") or []
    for entry in result["orgs"]:
        if not entry["received"]:
            if entry["org"] in missing:
                print(f"  {org_name(entry['org'])}　未受信")
            continue
        for inst in entry["installations"]:
            last = inst["last_package"]
            gaps = inst.get("missing_sequences") or []
            gap_text = f"　抜け {', '.join(str(n) for n in gaps)}" if gaps else ""
            print(f"  {org_name(entry['org'])}　端末 {inst['installation'][:8]}（鍵 {inst['key_id']}）　"
                  f"最後 第{last['sequence']}号 {package_day(last['created_at'])}　{last['records']:,} 件{gap_text}")
    print(f"未受信: {len(missing)} 組織" + (f"（{'、'.join(org_name(o) for o in missing)}）" if missing else ""))
    return EXIT_OK


def cmd_undo_import(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from jcim_desktop.domain.orgs import org_name
    from jcim_desktop.services import sync

    with closing(_open(args)) as ctx:
        if args.package is None:
            found = sync.undoable_imports(ctx)
            if args.format == "json":
                print(json.dumps([asdict(u) for u in found], ensure_ascii=False, indent=2))
                return EXIT_OK
            if not found:
                print("取り消せる取り込みはありません。", file=sys.stderr)
                return EXIT_OK
            print("取り消せる取り込み（新しい順）:", file=sys.stderr)
            for u in found:
                print(f"  {u.received_id}\t{u.package_id}\t{org_name(u.org)} 第{u.sequence}号\t"
                      f"{_when_label(u.received_at)}\t{u.records:,} 件\t{u.file_name}")
            return EXIT_OK
        done = sync.undo_import(ctx, args.package)
    if args.format == "json":
        print(json.dumps([asdict(u) for u in done.undone], ensure_ascii=False, indent=2))
        return EXIT_OK
    for u in done.undone:
        print(f"取り込みを取り消しました: {org_name(u.org)} 第{u.sequence}号（{u.file_name}、{u.records:,} 件を元に戻しました）",
              file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "undo-import": cmd_undo_import,
    "close": cmd_close,
    "reopen": cmd_reopen,
    "published": cmd_published,
    "history": cmd_history,
    "received": cmd_received,
    "audit": cmd_audit,
    "backup": cmd_backup,
    "db": cmd_db,
    "report": cmd_report,
    "export-xlsx": cmd_export_xlsx,
    "import-xlsx": cmd_import_xlsx,
    "template": cmd_template,
    "trust": cmd_trust,
    "export": cmd_export,
    "import": cmd_import,
    "init": cmd_init,
    "key": cmd_key,
    "identity": cmd_identity,
    "tally": cmd_tally,
    "demo": cmd_demo,
    "gui": cmd_gui,
}


def _report_bug(exc: BaseException, data_dir: Path | None = None) -> None:
    """Log a bug to the crash log of the data folder in use and tell the person where it is."""
    from jcim_desktop.errors import log_bug

    path = log_bug(exc, data_dir)
    where = f"詳細は {path} に記録しました。" if path is not None else ""
    print(f"予期しないエラーが発生しました（{type(exc).__name__}）。{where}事務局またはシステム担当者に連絡してください。", file=sys.stderr)


def _quiet_stdout() -> None:
    """After a broken pipe (``… | head``): send what is still buffered nowhere, as the Python
    documentation recommends, so that the exit does not print a second error."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.screenshot = None
        args.command = "gui"
    from jcim_desktop.store.database import DATABASE_URL_ENV

    # --database-url means what JCIM_DESKTOP_DATABASE_URL means, for everything this command
    # opens (a restore reopens, the window opens its own): set for the command, then put back.
    previous_url = os.environ.get(DATABASE_URL_ENV)
    if getattr(args, "database_url", None):
        os.environ[DATABASE_URL_ENV] = args.database_url
    try:
        status = COMMANDS[args.command](args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # Whoever read our output has gone (``| head -c1``): nothing to tell anyone.
        _quiet_stdout()
        return EXIT_REFUSED
    except UsageError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except UserError as exc:
        from jcim_desktop.services.backups import DatabaseDamaged

        print(_damaged_message(args, exc) if isinstance(exc, DatabaseDamaged) else exc.message, file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("中断しました。", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user; it goes to the log
        _report_bug(exc, Path(args.data_dir).expanduser() if getattr(args, "data_dir", None) else None)
        return EXIT_REFUSED
    finally:
        if previous_url is None:
            os.environ.pop(DATABASE_URL_ENV, None)
        else:
            os.environ[DATABASE_URL_ENV] = previous_url


if __name__ == "__main__":
    sys.exit(main())
