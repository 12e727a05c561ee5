"""What the application needs from the machine: the window's system libraries and a Japanese font.

**Libraries.** On Linux, Qt's X11 platform plugin (``libqxcb.so`` → ``libQt6XcbQpa.so.6``) needs a
dozen ``libxcb-*`` libraries that a fresh Debian/Ubuntu installation often lacks. Qt then aborts
with a message that names the wrong one (``libxcb-cursor0`` for a missing ``libxcb-icccm4``).
``check_window_libraries()`` runs before anything imports Qt's GUI modules: it tries to load each
library the window needs (the list below is ``readelf -d`` of PySide6's ``libQt6Gui.so.6``,
``libqxcb.so`` and ``libQt6XcbQpa.so.6``; tests/test_system.py checks it against them) and, when
one is missing, stops with a Japanese message naming the Debian packages and the exact
``apt-get install`` command. Without a screen it says so instead of letting Qt abort.

**Font.** IPAex Gothic (``resources/fonts/ipaexg.ttf``, IPA Font License v1.0 beside it) ships
with the application: the window registers it when the system has no Japanese font, and the PDF
reports embed it when they find no system font (ui/app.py, reports/fonts.py).

Two environment variables exist for tests and for trying a fresh machine on one that is not:
``JCIM_DESKTOP_TEST_MISSING_LIBS`` (sonames or package names taken as missing) and
``JCIM_DESKTOP_TEST_NO_SYSTEM_FONTS`` (the font lookups find no system font).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from jcim_desktop.errors import UserError
from jcim_desktop.paths import bundled_path

MISSING_LIBS_ENV = "JCIM_DESKTOP_TEST_MISSING_LIBS"
NO_SYSTEM_FONTS_ENV = "JCIM_DESKTOP_TEST_NO_SYSTEM_FONTS"

# soname → the Debian/Ubuntu package that has it.
# Qt's GUI itself, whatever the platform plugin (libQt6Gui.so.6, libQt6DBus.so.6, QtGui.abi3.so).
GUI_LIBRARIES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
# The X11 platform plugin (libqxcb.so and libQt6XcbQpa.so.6).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
ALL_LIBRARIES: dict[str, str] = {**GUI_LIBRARIES, **XCB_LIBRARIES}


@dataclass(frozen=True)
class Missing:
    """A library that could not be loaded, and the package that has it (None if not ours to know)."""

    soname: str
    package: str | None


def _bundle_dirs() -> list[Path]:
    """Folders whose libraries the program loads before the system's (a PyInstaller bundle)."""
    root = getattr(sys, "_MEIPASS", None)
    return [Path(root), Path(root) / "PySide6" / "Qt" / "lib"] if root else []


def _dlopen(soname: str) -> str | None:
    """None when ``soname`` loads; otherwise the library the loader could not find (``soname`` or,
    when ``soname`` is there but one of its own dependencies is not, that dependency)."""
    if any((folder / soname).exists() for folder in _bundle_dirs()):
        return None
    try:
        ctypes.CDLL(soname)
    except OSError as exc:
        # "libxcb-util.so.1: cannot open shared object file: No such file or directory"
        first = str(exc).split(":", 1)[0].strip()
        return first if first.startswith("lib") and ".so" in first else soname
    return None


def _test_missing(env: Mapping[str, str]) -> set[str]:
    return {name.strip() for name in env.get(MISSING_LIBS_ENV, "").replace(",", " ").split() if name.strip()}


def missing_libraries(
    libraries: Mapping[str, str],
    load: Callable[[str], str | None] = _dlopen,
    env: Mapping[str, str] | None = None,
) -> list[Missing]:
    """The libraries of ``libraries`` (soname → package) that cannot be loaded, in order, once each."""
    env = os.environ if env is None else env
    pretend = _test_missing(env)
    found: dict[str, Missing] = {}
    for soname, package in libraries.items():
        gone = soname if (soname in pretend or package in pretend) else load(soname)
        if gone is None or gone in found:
            continue
        found[gone] = Missing(gone, package if gone == soname else ALL_LIBRARIES.get(gone))
    return list(found.values())


def _qt_platform_plugin_exists(name: str) -> bool:
    import importlib.util

    roots = [Path(root) / "PySide6" for root in [getattr(sys, "_MEIPASS", None)] if root]
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        roots += [Path(location) for location in spec.submodule_search_locations]
    return any((root / "Qt" / "plugins" / "platforms" / f"libq{name}.so").exists() for root in roots)


def uses_xcb(env: Mapping[str, str], wayland_plugin: Callable[[], bool] | None = None) -> bool:
    """Whether Qt will open the window with its X11 (xcb) platform plugin.

    ``QT_QPA_PLATFORM`` decides when set (its first entry). Unset, Qt takes Wayland on a Wayland
    session when its Wayland plugin is there (a pip installation has it; the installer's bundle
    does not and runs through XWayland), and X11 otherwise.
    """
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return not (wayland_plugin or (lambda: _qt_platform_plugin_exists("wayland")))()
    return True


def _install_command(packages: list[str]) -> str:
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return ("" if as_root else "sudo ") + "apt-get install " + " ".join(packages)


def missing_message(missing: list[Missing]) -> str:
    """The Japanese message for libraries the window cannot load."""
    names = "、".join(m.soname for m in missing)
    packages = list(dict.fromkeys(m.package for m in missing if m.package))
    lines = [f"ウィンドウを開くのに必要なシステムのライブラリが見つかりません: {names}"]
    if packages:
        lines += [
            "Debian・Ubuntu では、次のコマンドでパッケージを入れてから、もう一度起動してください:",
            "",
            f"    {_install_command(packages)}",
            "",
            "（ほかの Linux では、同じ名前のライブラリを含むパッケージを入れてください。）",
        ]
    else:
        lines.append("このライブラリを含むパッケージを入れてから、もう一度起動してください。")
    lines.append("ウィンドウを使わないコマンド（demo、tally、export、import など）は、このままでも使えます。")
    return "\n".join(lines)


NO_SCREEN_MESSAGE = (
    "ウィンドウを表示する画面が見つかりません（環境変数 DISPLAY がありません）。\n"
    "デスクトップの端末から起動するか、ssh なら -X を付けて接続してください。\n"
    "画面なしで各ページを画像にするには:\n"
    "\n"
    "    QT_QPA_PLATFORM=offscreen jcim-desktop gui --screenshot フォルダ"
)


def check_window_libraries(
    screenshot: bool = False,
    env: MutableMapping[str, str] | None = None,
    load: Callable[[str], str | None] = _dlopen,
    platform: str | None = None,
) -> None:
    """Before Qt loads its platform plugin: raise ``UserError`` (Japanese, with the fix) when the
    window cannot open here. Linux only; elsewhere Qt brings what it needs.

    ``screenshot`` (``gui --screenshot``) needs no screen: without one it renders offscreen
    (``QT_QPA_PLATFORM=offscreen`` is set for this process).
    """
    if not (sys.platform if platform is None else platform).startswith("linux"):
        return
    env = os.environ if env is None else env
    libraries = dict(GUI_LIBRARIES)
    if uses_xcb(env):
        if not env.get("DISPLAY"):
            if not screenshot:
                raise UserError(NO_SCREEN_MESSAGE)
            env["QT_QPA_PLATFORM"] = "offscreen"
        else:
            libraries.update(XCB_LIBRARIES)
    missing = missing_libraries(libraries, load, env)
    if missing:
        raise UserError(missing_message(missing))


def bundled_font() -> Path:
    """IPAex Gothic as shipped with the application (``resources/fonts/ipaexg.ttf``)."""
    return bundled_path("resources", "fonts", "ipaexg.ttf")


BUNDLED_FONT_LICENSE = "IPA_Font_License_Agreement_v1.0.txt"


def system_fonts_hidden() -> bool:
    """For tests: the font lookups behave as on a machine without any Japanese font."""
    return bool(os.environ.get(NO_SYSTEM_FONTS_ENV))
