"""The start-up check of the window's system libraries (jcim_desktop/system.py), before Qt loads.

A fresh Debian/Ubuntu machine lacked libxcb-icccm4 and libxcb-keysyms1, and Qt aborted blaming
libxcb-cursor0. The window now names the missing Debian packages and the command that installs
them, in Japanese, and exits with status 1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jcim_desktop import system
from jcim_desktop.cli import main
from jcim_desktop.errors import UserError

PYSIDE = Path(__import__("PySide6").__file__).parent


def loader(missing: dict[str, str | None]):  # type: ignore[no-untyped-def]
    """A library loader that finds everything except ``missing`` (soname → what the loader names)."""
    return lambda soname: missing.get(soname)


def x11(**extra: str) -> dict[str, str]:
    return {"DISPLAY": ":0", **extra}


def test_a_missing_xcb_library_names_its_debian_package_and_the_command():
    env = x11()
    with pytest.raises(UserError) as raised:
        system.check_window_libraries(env=env, platform="linux", load=loader(
            {"libxcb-icccm.so.4": "libxcb-icccm.so.4", "libxcb-keysyms.so.1": "libxcb-keysyms.so.1"}))
    message = raised.value.message
    assert "libxcb-icccm.so.4、libxcb-keysyms.so.1" in message
    assert "apt-get install libxcb-icccm4 libxcb-keysyms1\n" in message
    # Not the package Qt blamed, and nothing else.
    assert "libxcb-cursor0" not in message and "libxcb-image0" not in message
    assert "Traceback" not in message


def test_a_library_whose_own_dependency_is_missing_names_the_dependency():
    # libxcb-cursor.so.0 is installed, but loading it fails on libxcb-render-util.so.0.
    with pytest.raises(UserError) as raised:
        system.check_window_libraries(env=x11(), platform="linux", load=loader(
            {"libxcb-cursor.so.0": "libxcb-render-util.so.0", "libxcb-render-util.so.0": "libxcb-render-util.so.0"}))
    assert "install libxcb-render-util0\n" in raised.value.message
    assert "libxcb-cursor0" not in raised.value.message


def test_sudo_is_in_the_command_unless_root(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert system.missing_message([system.Missing("libxcb-icccm.so.4", "libxcb-icccm4")]).count(
        "sudo apt-get install libxcb-icccm4") == 1
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert "    apt-get install libxcb-icccm4" in system.missing_message([system.Missing("libxcb-icccm.so.4",
                                                                                            "libxcb-icccm4")])


def test_everything_present_passes_and_loads_the_real_libraries_here():
    system.check_window_libraries(env=x11(), platform="linux", load=loader({}))
    # The real loader on this machine: what it cannot load is named with its package.
    for missing in system.missing_libraries(system.ALL_LIBRARIES, env={}):
        assert missing.package, missing


def test_without_a_screen_the_window_says_so_and_screenshots_go_offscreen():
    with pytest.raises(UserError) as raised:
        system.check_window_libraries(env={}, platform="linux", load=loader({}))
    assert "画面が見つかりません" in raised.value.message
    assert "QT_QPA_PLATFORM=offscreen jcim-desktop gui --screenshot" in raised.value.message
    env: dict[str, str] = {}
    system.check_window_libraries(screenshot=True, env=env, platform="linux",
                                  load=loader({"libxcb-icccm.so.4": "libxcb-icccm.so.4"}))
    assert env["QT_QPA_PLATFORM"] == "offscreen"  # and the X11 libraries are not needed for it


def test_qt_libraries_needed_on_every_platform_are_checked_offscreen_too():
    with pytest.raises(UserError) as raised:
        system.check_window_libraries(env={"QT_QPA_PLATFORM": "offscreen"}, platform="linux",
                                      load=loader({"libEGL.so.1": "libEGL.so.1", "libxcb-icccm.so.4": "x"}))
    assert "install libegl1\n" in raised.value.message and "icccm" not in raised.value.message


@pytest.mark.parametrize("env", [
    x11(QT_QPA_PLATFORM="offscreen"),
    {"QT_QPA_PLATFORM": "wayland"},
    {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
])
def test_no_x11_check_when_qt_will_not_use_x11(env):
    wayland_plugin = (PYSIDE / "Qt" / "plugins" / "platforms" / "libqwayland.so").exists()
    if "WAYLAND_DISPLAY" in env and not wayland_plugin:
        pytest.skip("this PySide6 has no Wayland plugin")
    system.check_window_libraries(env=env, platform="linux", load=loader({"libxcb-icccm.so.4": "x"}))


def test_other_systems_are_not_checked():
    for platform in ("win32", "darwin"):
        system.check_window_libraries(env={}, platform=platform, load=loader({"libEGL.so.1": "libEGL.so.1"}))


def test_xcb_as_the_first_choice_of_a_platform_list_is_x11():
    assert system.uses_xcb({"QT_QPA_PLATFORM": "xcb;wayland"})
    assert system.uses_xcb({"QT_QPA_PLATFORM": "xcb:dpi=96"})
    assert not system.uses_xcb({"QT_QPA_PLATFORM": "wayland;xcb"})
    # A Wayland session without Qt's Wayland plugin (the installer's bundle) runs through XWayland.
    assert system.uses_xcb({"WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"}, wayland_plugin=lambda: False)


def _needed(path: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line}


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("readelf") is None, reason="Linux, with readelf")
def test_the_list_is_what_qts_gui_and_x11_plugin_need():
    qt = PYSIDE / "Qt"
    base = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libpthread.so.0",
            "libdl.so.2", "ld-linux-x86-64.so.2"}

    def outside_qt(*paths: Path) -> set[str]:
        found: set[str] = set()
        for path in paths:
            found |= _needed(path)
        return {n for n in found - base if not n.startswith(("libQt6", "libpyside6", "libshiboken6"))}

    gui = outside_qt(qt / "lib" / "libQt6Gui.so.6", qt / "lib" / "libQt6Widgets.so.6", qt / "lib" / "libQt6DBus.so.6",
                     PYSIDE / "QtGui.abi3.so", PYSIDE / "QtWidgets.abi3.so")
    assert gui <= set(system.GUI_LIBRARIES), gui - set(system.GUI_LIBRARIES)
    xcb = outside_qt(qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6")
    assert xcb <= set(system.ALL_LIBRARIES), xcb - set(system.ALL_LIBRARIES)
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"} <= xcb


def test_the_gui_command_refuses_with_the_package_and_exit_status_1(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv(system.MISSING_LIBS_ENV, "libxcb-keysyms.so.1")
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["gui", "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "libxcb-keysyms.so.1" in err and "apt-get install libxcb-keysyms1\n" in err
    assert not (tmp_path / "data").exists()  # nothing was set up
    # No command at all is the window too.
    assert main(["--data-dir", str(tmp_path / "data")]) == 1
    assert "apt-get install libxcb-keysyms1" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="the check is for Linux")
def test_the_installed_program_prints_the_message_instead_of_qts_abort(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=":0", **{system.MISSING_LIBS_ENV: "libxcb-icccm4"})
    result = subprocess.run([sys.executable, "-m", "jcim_desktop", "--data-dir", str(tmp_path / "d")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "apt-get install libxcb-icccm4" in result.stderr
    assert "qt.qpa" not in result.stderr and "Traceback" not in result.stderr


XVFB = shutil.which("xvfb-run")


@pytest.mark.skipif(sys.platform != "linux" or XVFB is None, reason="Linux with Xvfb (xvfb-run)")
@pytest.mark.skipif(bool(system.missing_libraries(system.ALL_LIBRARIES, env={})),
                    reason="the X11 libraries of the README's first command are not installed")
def test_the_window_opens_on_x11_under_xvfb(tmp_path):
    data = tmp_path / "data"
    assert main(["init", "--org", "chugoku", "--data-dir", str(data)]) == 0
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}
    env["JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT"] = "1"  # prints "painted" on the first frame and quits
    result = subprocess.run([XVFB, "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m", "jcim_desktop",
                             "--data-dir", str(data)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("painted"), (result.stdout, result.stderr[-2000:])
