"""The command line (SYNC_FORMAT §6): ``jcim-desktop COMMAND …``; with no command, the window."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from jcim_desktop import __version__
from jcim_desktop.errors import UserError

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


def build_parser() -> Parser:
    parser = Parser(prog="jcim-desktop", description="インフラメンテナンス国民会議 フォーラム活動・KPI 管理（JCIM Desktop）")
    parser.add_argument("--version", action="version", version=f"JCIM Desktop {__version__}", help="版を表示します")
    _data_dir_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, title="コマンド")

    def command(name: str, help_text: str) -> Parser:
        p: Parser = sub.add_parser(name, help=help_text, description=help_text, prog=f"jcim-desktop {name}")
        _data_dir_option(p, argparse.SUPPRESS)
        return p

    p = command("init", "この端末のデータベースと鍵を作ります")
    p.add_argument("--org", required=True, metavar="CODE", help="組織コード（例: chugoku, secretariat）")
    p.add_argument("--user", default="", metavar="NAME", help="利用者名（変更履歴に記録されます）")

    p = command("key", "この端末の鍵を扱います")
    key_sub = p.add_subparsers(dest="key_command", metavar="SUBCOMMAND", parser_class=Parser, title="サブコマンド")
    key_sub.required = True
    kp = key_sub.add_parser(
        "export", help="公開鍵を書き出します", description="公開鍵を書き出します（base64、1行）", prog="jcim-desktop key export"
    )
    kp.add_argument("--out", required=True, metavar="FILE", help="書き出すファイル")
    _data_dir_option(kp, argparse.SUPPRESS)

    p = command("tally", "年度の KPI を集計します")
    p.add_argument("--fy", required=True, type=_fiscal_year, metavar="N", help="年度（2024、R6、令和6年度 など）")
    p.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json", help="出力形式")
    p.add_argument("--out", metavar="FILE", help="出力ファイル（xlsx・pdf では必須）")

    p = command("demo", "デモデータを読み込みます（令和6年度の計画と、ニーズ・シーズ・マッチングの例）")
    p.add_argument("--org", metavar="CODE", help="まだ初期化していなければ、この組織として初期化します")

    p = command("gui", "ウィンドウを開きます")
    p.add_argument("--screenshot", metavar="DIR", help="各画面を DIR/<page>.png に保存して終了します")
    return parser


def _open(args: argparse.Namespace) -> Any:
    from jcim_desktop.services.context import open_app

    return open_app(args.data_dir)


def cmd_init(args: argparse.Namespace) -> int:
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.sync.keys import key_id

    ctx = init_installation(args.org, args.data_dir, user_name=args.user)
    try:
        print(
            f"初期化しました: {ctx.org_name}（{ctx.org}）\n"
            f"  データフォルダ: {ctx.data_dir}\n  端末ID: {ctx.installation_id}\n  鍵ID: {key_id(ctx.public_key)}",
            file=sys.stderr,
        )
    finally:
        ctx.close()
    return EXIT_OK


def cmd_key(args: argparse.Namespace) -> int:
    from jcim_desktop.sync.keys import key_id

    ctx = _open(args)
    try:
        out = Path(args.out)
        try:
            out.write_text(ctx.public_key + "\n", encoding="ascii")
        except OSError as exc:
            raise UserError(f"{out} に書き込めません（{exc.strerror}）。保存先を確認してください。") from exc
        print(f"公開鍵を書き出しました: {out}（鍵ID {key_id(ctx.public_key)}）", file=sys.stderr)
    finally:
        ctx.close()
    return EXIT_OK


def cmd_tally(args: argparse.Namespace) -> int:
    from jcim_desktop.services.tally import tally

    if args.format != "json":
        raise UserError(f"--format {args.format} の出力はまだ用意されていません。--format json を使ってください。")
    ctx = _open(args)
    try:
        result = tally(ctx, args.fy)
    finally:
        ctx.close()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return EXIT_OK


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
    ctx = _open(args)
    try:
        if demo.is_loaded(ctx):
            # Asking for demo data that is already there is not a refusal: the wish is met.
            print(f"{demo.ALREADY_LOADED}（{folder}）", file=sys.stderr)
            return EXIT_OK
        summary = demo.load_demo(ctx)
    finally:
        ctx.close()
    lines = "\n".join(f"  {label}: {n} 件" for label, n in summary.items())
    print(f"デモデータを読み込みました（{folder}）:\n{lines}", file=sys.stderr)
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from jcim_desktop.ui.app import run
    except ImportError as exc:
        raise UserError("この版にはまだウィンドウがありません。") from exc
    return int(run(data_dir=args.data_dir, screenshot_dir=getattr(args, "screenshot", None)))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "key": cmd_key,
    "tally": cmd_tally,
    "demo": cmd_demo,
    "gui": cmd_gui,
}


def _report_bug(exc: BaseException) -> None:
    from jcim_desktop.paths import default_data_dir

    log_dir = default_data_dir() / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "crash.log"
        with path.open("a", encoding="utf-8") as f:
            f.write("".join(traceback.format_exception(exc)))
        where = f"詳細は {path} に記録しました。"
    except OSError:
        where = ""
    print(f"予期しないエラーが発生しました（{type(exc).__name__}）。{where}事務局またはシステム担当者に連絡してください。", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.screenshot = None
        args.command = "gui"
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("中断しました。", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user; it goes to the log
        _report_bug(exc)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
