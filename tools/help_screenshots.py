"""Regenerate the pictures of the 操作ガイド (``resources/help/img/*.png``) from the application's
own screens, so that they never go stale.

    .venv/bin/python tools/help_screenshots.py [--keep DIR] [--out DIR]

In a temporary folder it builds demo data (``services.demo``, as of today): 中国フォーラム's
installation, the secretariat's, a second laptop of 中国フォーラム whose package the secretariat
previews, and a second installation of the secretariat whose change of an activity meets the
first's as a conflict. The pages are rendered by ``jcim-desktop gui --screenshot DIR
--size 1024x680`` (in a subprocess, offscreen); the dialogs and the conflicts page with a
conflict chosen are opened by a small driver here and grabbed. Every picture is then scaled to
at most ``MAX_WIDTH`` pixels and stored as a palette PNG: the installer must stay small.

``PICTURES`` lists every picture the guide uses (a test checks it against ``guide.html``).
Nothing outside the temporary folder is touched but ``resources/help/img/`` (or ``--out DIR``);
``--keep DIR`` keeps the data and the raw screenshots there to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PureWindowsPath
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMG_DIR = ROOT / "resources" / "help" / "img"
WINDOW_SIZE = (1024, 680)
MAX_WIDTH = 760
PLAN_HEIGHT = 700
COLOURS = 160

PAGE_SHOTS: dict[str, tuple[str, str]] = {
    # picture: (installation, page) rendered by `gui --screenshot`
    "matching.png": ("forum", "matchings"),
    "send.png": ("forum", "sync"),
    "tally.png": ("secretariat", "national_tally"),
}
DRIVER_SHOTS: tuple[str, ...] = (
    "first_start.png",  # the first-run dialog
    "need.png",  # a need open in its dialog
    "plan.png",  # a held activity open in its dialog
    "import.png",  # 取り込む内容の確認 of a package from 中国フォーラム's second laptop
    "conflicts.png",  # the conflicts page, the conflict chosen
    "close_year.png",  # 年度の確定 of last year
)
PICTURES: tuple[str, ...] = (*PAGE_SHOTS, *DRIVER_SHOTS)


def _isolate(base: Path) -> None:
    """Keep the window's remembered state and folders inside the temporary folder; offscreen Qt."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = base / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.pop("JCIM_DESKTOP_DATA_DIR", None)


# -- the data --------------------------------------------------------------------------------


class Scene:
    """The installations the pictures are taken of, and the packages between them.

    ``forum``: 中国フォーラム with its demo data. ``secretariat``: the secretariat with the demo
    data of every forum. A second laptop of 中国フォーラム receives the national package, adds a
    need and an activity and changes a need: its package is the one the import picture previews.
    A second secretariat installation and the first change the same national forum's activity:
    its package, once imported, is the conflict of the conflicts picture.
    """

    def __init__(self, base: Path) -> None:
        from jcim_desktop.services import demo, events, records, sync
        from jcim_desktop.services.context import init_installation

        self.base = base
        self.forum_dir = base / "chugoku"
        self.secretariat_dir = base / "secretariat"
        forum = init_installation("chugoku", self.forum_dir, user_name="山田 太郎")
        demo.load_demo(forum)
        forum.close()

        secretariat = init_installation("secretariat", self.secretariat_dir, user_name="事務局 佐藤")
        demo.load_demo(secretariat)
        national = base / "national.jcimsync"
        sync.export_package(secretariat, national, scope="national")
        today = dt.date.today()

        laptop = init_installation("chugoku", base / "chugoku-2", user_name="中国 一郎")
        sync.add_trust(laptop, secretariat.public_key, ["*"], note="事務局")
        sync.import_packages(laptop, [national])
        needs = sorted((r for r in records.list_records(laptop, "needs") if r.owner == "chugoku"),
                       key=lambda r: (r.data.get("received_on") or "", r.id))
        records.update(laptop, "needs", needs[-1].id, {"status": "matching"})
        first = needs[0].data
        records.create(laptop, "needs", {
            "lg_code": first["lg_code"], "title": "道路照明灯の支柱の腐食を点検したい", "facility_types": ["road"],
            "requirements": "地際部の腐食を、掘削せずに調べる方法を知りたい。", "received_on": today.isoformat(),
            "status": "open",
        })
        records.create(laptop, "events", {
            "title": "橋梁点検の新技術 現地見学会", "event_type": "workshop",
            "planned": events.planned_from_text("来年2月頃", _fiscal_year(today)), "status": "planned",
            "lg_codes": [], "counts_as_forum": False, "description": "自治体職員向けに新技術の点検を現地で見学する。",
        })
        self.forum_package = base / "chugoku-2.jcimsync"
        sync.export_package(laptop, self.forum_package)
        sync.add_trust(secretariat, laptop.public_key, ["chugoku"], note="中国フォーラム 2台目")
        laptop.close()

        # The secretariat's second installation changes a national forum's activity the first changes too.
        second = init_installation("secretariat", base / "secretariat-2", user_name="事務局 鈴木")
        sync.add_trust(second, secretariat.public_key, ["*"], note="事務局 1台目")
        sync.import_packages(second, [national])
        held = sorted((r for r in records.list_records(second, "events")
                       if r.owner == "innovative_tech" and r.data.get("status") == "held" and r.data.get("venue")),
                      key=lambda r: (r.data.get("held_from") or "", r.id))
        event = held[-1]
        records.update(second, "events", event.id, {"participants": 85, "venue": "東京都千代田区 日本教育会館 8階"})
        records.update(secretariat, "events", event.id, {"participants": 92})
        self.secretariat_package = base / "secretariat-2.jcimsync"
        sync.export_package(second, self.secretariat_package)
        sync.add_trust(secretariat, second.public_key, ["*"], note="事務局 2台目")
        second.close()
        secretariat.close()


# -- the driver: dialogs and the chosen conflict -------------------------------------------------


def _settle() -> None:
    from PySide6.QtWidgets import QApplication

    from jcim_desktop.ui import ops

    app = QApplication.instance()
    assert app is not None
    for _ in range(6):
        ops.wait_for_all()
        app.processEvents()
        app.sendPostedEvents()


def _grab(widget: Any, target: Path) -> None:
    widget.show()
    _settle()
    widget.repaint()
    if not widget.grab().save(str(target)):
        raise OSError(f"{target} に保存できませんでした。")


def _close(dialog: Any) -> None:
    discard = getattr(dialog, "discard_draft", None)
    if discard is not None:
        discard()
    dialog.hide()
    dialog.deleteLater()
    _settle()


def need_for_picture(needs: list[Any]) -> Any:
    """The need the guide's picture shows in its dialog: the newest one without a contact. A
    contact is personal data: even the demo's invented ones stay out of the pictures (the
    dialog's 担当者連絡先 fields show empty)."""
    ordered = sorted(needs, key=lambda r: (r.data.get("received_on") or "", r.id))
    found = next((r for r in reversed(ordered) if not r.data.get("contact")), None)
    if found is None:
        raise ValueError("every need of the demo has a contact: none can be shown in a picture")
    return found


def drive(scene: Scene, raw: Path) -> None:
    """Open each dialog (and the conflicts page) the guide shows and grab it into ``raw``."""
    from jcim_desktop.services import demo, records, sync
    from jcim_desktop.services.context import open_app
    from jcim_desktop.services.tally import tally
    from jcim_desktop.ui.app import application
    from jcim_desktop.ui.close_year_dialog import CloseYearDialog
    from jcim_desktop.ui.dialogs import dialog_class
    from jcim_desktop.ui.first_run import FirstRunDialog
    from jcim_desktop.ui.main_window import MainWindow
    from jcim_desktop.ui.pages.sync.dialogs import ImportPreviewDialog

    application()
    first = FirstRunDialog(PureWindowsPath(r"C:\Users\yamada\AppData\Roaming\JCIM Desktop"))  # type: ignore[arg-type]
    first.org_combo.setCurrentIndex(first.org_combo.findData("chugoku"))
    first.name_edit.setText("山田 太郎")
    first.demo_check.setChecked(True)
    _grab(first, raw / "first_start.png")
    _close(first)

    forum = open_app(scene.forum_dir)
    try:
        dialog = dialog_class("needs")(forum, need_for_picture(records.list_records(forum, "needs")).id)
        _grab(dialog, raw / "need.png")
        _close(dialog)
        held = [r for r in records.list_records(forum, "events")
                if r.data.get("status") == "held" and r.data.get("venue") and r.data.get("participants")
                and r.data.get("description") and r.data.get("event_type") != "pitch_event"]
        held.sort(key=lambda r: (r.data.get("held_from") or "", r.id))
        dialog = dialog_class("events")(forum, held[-1].id)
        dialog.resize(dialog.width(), PLAN_HEIGHT)  # the whole form, 内容 included, without scrolling
        _grab(dialog, raw / "plan.png")
        _close(dialog)
    finally:
        forum.close()

    secretariat = open_app(scene.secretariat_dir)
    try:
        checked = sync.check_package(secretariat, scene.forum_package)
        preview = ImportPreviewDialog(None, secretariat, checked, sync.preview_import(secretariat, checked))
        _grab(preview, raw / "import.png")
        _close(preview)
        sync.import_packages(secretariat, [scene.forum_package, scene.secretariat_package])

        window = MainWindow(secretariat)
        window.resize(*WINDOW_SIZE)
        window.show()
        page = window.show_page("conflicts")
        _settle()
        table = getattr(page, "list_view", None)
        if table is not None:
            table.selectRow(0)
        _grab(window, raw / "conflicts.png")

        # The demo's year in full (its plan, targets and results): FY2024.
        closing = CloseYearDialog(secretariat, demo.PLAN_FISCAL_YEAR, tally(secretariat, demo.PLAN_FISCAL_YEAR), window)
        _grab(closing, raw / "close_year.png")
        _close(closing)
        window.close()
        window.deleteLater()
        _settle()
    finally:
        secretariat.close()


def _fiscal_year(day: dt.date) -> int:
    from jcim_desktop.domain.fiscal import fiscal_year_of

    return fiscal_year_of(day)


# -- the pages: `jcim-desktop gui --screenshot` ---------------------------------------------------


def render_pages(scene: Scene, raw: Path) -> None:
    width, height = WINDOW_SIZE
    folders = {"forum": scene.forum_dir, "secretariat": scene.secretariat_dir}
    for name, folder in folders.items():
        shots = raw / f"pages-{name}"
        subprocess.run(
            [sys.executable, "-m", "jcim_desktop", "--data-dir", str(folder), "gui", "--screenshot", str(shots),
             "--size", f"{width}x{height}", "--language", "ja"],
            check=True, env=os.environ.copy(), cwd=ROOT,
        )
        for picture, (installation, page) in PAGE_SHOTS.items():
            if installation == name:
                shutil.copyfile(shots / f"{page}.png", raw / picture)


# -- small pictures --------------------------------------------------------------------------------


def shrink(source: Path, target: Path) -> int:
    """``source`` at most ``MAX_WIDTH`` wide, as a palette PNG at ``target``; returns its size in bytes."""
    from PIL import Image

    with Image.open(source) as image:
        picture = image.convert("RGB")
    if picture.width > MAX_WIDTH:
        height = round(picture.height * MAX_WIDTH / picture.width)
        picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    palette = picture.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(target, optimize=True)
    return target.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--keep", metavar="DIR", help="keep the demo data and the raw screenshots in DIR")
    parser.add_argument("--out", metavar="DIR", default=str(IMG_DIR),
                        help="where the pictures go (default: resources/help/img, which the guide uses)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jcim-help-"))
    base.mkdir(parents=True, exist_ok=True)
    _isolate(base)
    sys.path.insert(0, str(ROOT))
    try:
        raw = base / "raw"
        raw.mkdir(exist_ok=True)
        scene = Scene(base / "data")
        drive(scene, raw)
        render_pages(scene, raw)
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob("*.png"):
            if stale.name not in PICTURES:
                stale.unlink()
        total = 0
        for picture in PICTURES:
            size = shrink(raw / picture, out / picture)
            total += size
            print(f"{picture}: {size / 1024:.0f} KB", file=sys.stderr)
        print(f"{len(PICTURES)} pictures, {total / 1024:.0f} KB in {out}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

