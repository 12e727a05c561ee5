"""Build JCIM Desktop into a folder (and a zip of it) that runs without Python, then smoke-test it.

    python build_installer.py [--onefile] [--skip-smoke] [--dist DIR] [--postgres URL]

PyInstaller builds a one-folder bundle by default (it starts in about half the time of a
one-file build, which unpacks itself on every start). Name and version come from
pyproject.toml; resources/, forms/ and the Alembic migrations in db/ are bundled and found at
run time by ``jcim_desktop.paths`` exactly as from a source checkout. Only the Qt modules the
app imports are collected. Afterwards the frozen program is run headless in a temporary folder
(init, demo, tally --format json, gui --screenshot, a package exported and imported, the
PostgreSQL driver loaded; with ``--postgres`` a shared database migrated, registered to, tallied
and checked); any failure fails the build loudly.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENTRY = ROOT / "build" / "entry.py"
# Imported through importlib (pages load when first shown: every module of ui/pages, so that a
# new page cannot be left out) or by Alembic from files. The PostgreSQL driver of a shared
# database (postgresql+psycopg://) is imported inside functions (SQLAlchemy's dialect imports
# psycopg when such a URL is opened; psycopg picks its libpq binding then): named here so that
# the bundle keeps it whatever the analysis makes of that. psycopg_binary's libpq, with its own
# OpenSSL and Kerberos (psycopg_binary.libs), follows as its modules' library: 10 MB in all.
COLLECT_SUBMODULES = ["jcim_desktop.ui.pages"]
HIDDEN_IMPORTS = ["jcim_desktop.store.derived", "logging.config", "sqlalchemy.dialects.sqlite",
                  "sqlalchemy.dialects.postgresql.psycopg", "psycopg", "psycopg_binary.pq", "psycopg_binary._psycopg"]
# Other bindings, GUI toolkits and Qt modules the app never imports.
EXCLUDES = [
    "tkinter", "PyQt5", "PyQt6", "PySide2", "shiboken2",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.Qt3DCore",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtMultimedia", "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts", "PySide6.QtDataVisualization",
    "PySide6.QtBluetooth", "PySide6.QtPositioning", "PySide6.QtSerialPort", "PySide6.QtDBus",
    "PySide6.QtConcurrent", "PySide6.QtStateMachine", "PySide6.QtSpatialAudio",
    "pytest", "pytestqt", "hypothesis", "mypy", "importlinter", "IPython", "numpy", "matplotlib",
    # reportlab needs Pillow, but no report uses these codecs (libavif alone is 5 MB), nor Pillow's
    # text drawing (its FreeType and HarfBuzz are 2.8 MB; reportlab reads TrueType fonts itself).
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingtk", "PIL.ImageTk",
    "PIL.ImageQt", "PIL._imagingcms", "PIL.ImageCms", "PIL._imagingft", "PIL.ImageFont", "PIL.ImageDraw",
    "PIL.ImageDraw2", "PIL.ImageText",
    # Syntax highlighting for Mako's HTML error pages (1.8 MB); Mako falls back to plain text.
    "pygments",
    # _hashlib would bring a second OpenSSL: cryptography carries its own, and hashlib falls back to
    # its built-in SHA-256. (Python's ssl stays, 5.5 MB with the system's OpenSSL: psycopg_binary
    # imports it when it loads, so that Python sets OpenSSL up before libpq; libpq's TLS uses the
    # OpenSSL psycopg_binary carries. tests/test_installer.py loads the driver without the rest.)
    "_hashlib", "readline",
    # (SQLAlchemy's other dialects stay: Alembic's DDL package imports them all.)
    "unittest", "pydoc", "xmlrpc", "http.server", "lib2to3", "ensurepip", "idlelib", "turtledemo",
]


def project() -> tuple[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(meta["name"]), str(meta["version"])


def pyinstaller_args(onefile: bool, dist: Path, work: Path, console: bool = False) -> list[str]:
    """The PyInstaller command that builds the program (``build`` runs it)."""
    name, _version = project()
    sep = os.pathsep
    args = [
        sys.executable, "-m", "PyInstaller", str(ENTRY), "--noconfirm", "--clean", "--log-level", "WARN",
        "--name", name, "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
        "--onefile" if onefile else "--onedir",
        "--add-data", f"{ROOT / 'resources'}{sep}resources",
        "--add-data", f"{ROOT / 'forms'}{sep}forms",
        "--add-data", f"{ROOT / 'db'}{sep}db",
        "--icon", str(ROOT / "resources" / ("icon.ico" if sys.platform == "win32" else "icon.png")),
        "--paths", str(ROOT),
    ]
    if sys.platform == "win32" and not console:
        # No console window for people. (A windowed exe has no standard output, so a CI smoke
        # run on Windows builds with --console.)
        args.append("--noconsole")
    else:
        # Debug symbols (pyenv's libpython, Qt, the Rust part of cryptography) are most of the size.
        args.append("--strip")
    for package in COLLECT_SUBMODULES:
        args += ["--collect-submodules", package]
    for module in HIDDEN_IMPORTS:
        args += ["--hidden-import", module]
    for module in EXCLUDES:
        args += ["--exclude-module", module]
    return args


def build(onefile: bool, dist: Path, work: Path, console: bool = False) -> Path:
    name, version = project()
    ENTRY.parent.mkdir(parents=True, exist_ok=True)
    ENTRY.write_text("import sys\nfrom jcim_desktop.cli import main\nsys.exit(main())\n", encoding="utf-8")
    args = pyinstaller_args(onefile, dist, work, console)
    print(f"{name} {version}: PyInstaller ({'one file' if onefile else 'one folder'}) …", file=sys.stderr)
    subprocess.run(args, check=True, cwd=ROOT)
    exe = dist / (name if onefile else f"{name}/{name}")
    if sys.platform == "win32":
        exe = exe.with_suffix(".exe")
    if not exe.exists():
        raise SystemExit(f"build failed: {exe} was not produced")
    return exe


# Qt plugins the application cannot use on a laptop (kiosk/embedded platforms, a GTK theme that
# drags in cairo/pango/gtk, evdev input, image codecs no screen shows).
PRUNE_PLUGINS = [
    "platformthemes", "egldeviceintegrations", "generic", "platforms/libqeglfs.so", "platforms/libqlinuxfb.so",
    "platforms/libqminimalegl.so", "platforms/libqvkkhrdisplay.so", "platforms/libqvnc.so",
    "imageformats/libqtiff.so", "imageformats/libqwebp.so", "imageformats/libqtga.so", "imageformats/libqwbmp.so",
    "imageformats/libqicns.so", "imageformats/libqgif.so",
    # The window shows PNG only (icons, maps, the guide's pictures; PNG is built into Qt): no SVG
    # (with Qt Svg), JPEG or ICO reader.
    "imageformats/libqsvg.so", "imageformats/libqjpeg.so", "imageformats/libqico.so", "iconengines",
    # Wayland sessions run the X11 plugin through XWayland.
    "platforms/libqwayland.so", "platforms/libqwayland-egl.so", "platforms/libqwayland-generic.so",
    "wayland-decoration-client", "wayland-graphics-integration-client", "wayland-shell-integration",
]
# Qt libraries that only pruned plugins needed (removed only if nothing left needs them).
QT_ORPHAN_CANDIDATES = [
    "libQt6Svg.so.6", "libQt6Network.so.6", "libQt6OpenGL.so.6", "libQt6OpenGLWidgets.so.6",
    "libQt6EglFSDeviceIntegration.so.6", "libQt6EglFsKmsSupport.so.6", "libQt6WlShellIntegration.so.6", "libQt6WaylandClient.so.6",
    "libQt6WaylandEglClientHwIntegration.so.6",
]
# Libraries that only the pruned plugins needed; each is removed only if nothing left needs it.
ORPHAN_CANDIDATES = [
    "libgtk-3.so.0", "libgdk-3.so.0", "libatk-1.0.so.0", "libatk-bridge-2.0.so.0", "libatspi.so.0",
    "libcairo.so.2", "libcairo-gobject.so.2", "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libpangoft2-1.0.so.0",
    "libgdk_pixbuf-2.0.so.0", "libepoxy.so.0", "libharfbuzz.so.0", "libgraphite2.so.3", "libpixman-1.so.0",
    "libthai.so.0", "libdatrie.so.1", "libfribidi.so.0", "libXcomposite.so.1", "libXcursor.so.1",
    "libXdamage.so.1", "libXfixes.so.3", "libXi.so.6", "libXinerama.so.1", "libXrandr.so.2", "libXext.so.6",
    "libXrender.so.1", "libwayland-cursor.so.0", "libwayland-egl.so.1", "libwayland-client.so.0", "libtiff.so.6", "libwebp.so.7",
    "libjpeg.so.62", "libjbig.so.0", "libLerc.so.4", "libdeflate.so.0", "libsharpyuv.so.0", "libwebpdemux.so.2",
    "libwebpmux.so.3", "libmtdev.so.1", "libinput.so.10", "libevdev.so.2", "libgudev-1.0.so.0",
    "libwacom.so.9", "libcloudproviders.so.0", "libtracker-sparql-3.0.so.0", "libcolord.so.2", "liblcms2.so.2",
    "libcups.so.2", "libavahi-common.so.3", "libavahi-client.so.3", "libgssapi_krb5.so.2", "libkrb5.so.3",
    "libk5crypto.so.3", "libkrb5support.so.0", "libkeyutils.so.1", "libgnutls.so.30", "libnettle.so.8",
    "libhogweed.so.6", "libp11-kit.so.0", "libtasn1.so.6", "libidn2.so.0", "libunistring.so.2",
    # GIO and what only it needs (the GTK theme's); X11's own helpers load beside the system's libxcb.
    "libgio-2.0.so.0", "libgobject-2.0.so.0", "libgmodule-2.0.so.0", "libmount.so.1", "libblkid.so.1",
    "libselinux.so.1", "libcom_err.so.2", "libXau.so.6", "libXdmcp.so.6", "libbsd.so.0", "libmd.so.0",
]
# Bundled data only another platform uses (the Windows icon is built into the .exe).
PRUNE_DATA = ["resources/icon.ico"]


def _needed(path: Path) -> set[str]:
    try:
        out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line}


def prune(bundle: Path) -> int:
    """Remove what the application cannot use from a Linux one-folder bundle; returns bytes freed."""
    if sys.platform != "linux" or shutil.which("readelf") is None:
        return 0
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    before = folder_size(bundle)
    for translation in (qt / "translations").glob("*.qm"):
        # The window's two languages (English: Qt's plural forms, e.g. "%n file(s)").
        if not translation.name.endswith(("_ja.qm", "_en.qm")):
            translation.unlink()
    for target in [qt / "plugins" / rel for rel in PRUNE_PLUGINS] + [internal / rel for rel in PRUNE_DATA]:
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    changed = True
    while changed:
        changed = False
        elf = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
               and (p.suffix == ".so" or ".so." in p.name or p == bundle / bundle.name)]
        needed: set[str] = set()
        for path in elf:
            needed |= _needed(path)
        for lib in [internal / n for n in ORPHAN_CANDIDATES] + [qt / "lib" / n for n in QT_ORPHAN_CANDIDATES]:
            if lib.exists() and lib.name not in needed:
                lib.unlink()
                changed = True
    trim_icu_data(qt / "lib")
    # PyInstaller links Qt's libraries into _internal/: drop the links to what was removed.
    for link in [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]:
        link.unlink()
    return before - folder_size(bundle)


# -- ICU's data ----------------------------------------------------------------------------------
# Qt's ICU data (libicudata, 31 MB, the bundle's largest file) holds every language's collation,
# the names of units, currencies, languages, regions and time zones, transliterators and spelled-out
# numbers. Qt uses ICU for collation, case mapping, time-zone names and legacy encodings; the
# window speaks Japanese and English. The other languages' items are left out, as ICU's own data
# filters do (a language without data falls back to ICU's root data), and so are the
# transliterators and spelled-out numbers, which Qt never uses; the conversion tables, break rules,
# Unicode properties and the root, Japanese and English data stay. ICU's tools make the library
# again (Debian's icu-devtools: icupkg removes the items, genccode writes the data as assembly;
# binutils' as and ld link it); without them the data stay whole. The trimmed library is checked
# against the whole one before it replaces it (``check_icu_data``).
ICU_LANGUAGE_TREES = ("", "coll", "curr", "lang", "region", "unit", "zone")
"""Where ICU keeps per-language items (``""``: the top level's locale data)."""
ICU_UNUSED_TREES = ("translit", "rbnf")
ICU_KEPT_LANGUAGES = ("ja", "en")
ICU_TOOLS = ("icupkg", "genccode", "as", "ld", "readelf")
ICU_PROBE = """
import sys
from PySide6.QtCore import QCollator, QLocale, QTimeZone, QStringDecoder
words = ["東京都", "とうきょう", "トウキョウ", "大阪", "おおさか", "Zebra", "apple", "Äpfel", "橋梁", "河川",
         "ｶﾅ", "カナ", "a10", "a9", "ゔ", "ヴ", "髙橋", "高橋", "①", "1"]
out = []
for name in ("ja_JP", "en_US", "en_GB", "C"):
    locale = QLocale(name)
    collator = QCollator(locale)
    collator.setNumericMode(True)
    out.append([name, sorted(words, key=collator.sortKey), locale.toUpper("straße ǆ"), locale.toLower("İSTANBUL")])
    zone = QTimeZone(b"Asia/Tokyo")
    out.append([zone.displayName(QTimeZone.TimeType.StandardTime, kind, locale)
                for kind in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName)])
out.append([QStringDecoder(n).isValid() for n in ("Shift_JIS", "EUC-JP", "ISO-2022-JP", "windows-31j", "UTF-16")])
maps = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line})
print(repr(out))
print(repr(maps), file=sys.stderr)
"""


def icu_items_to_remove(items: list[str]) -> list[str]:
    """Of the items of ICU's data (``coll/ja.res``, ``translit/root.res``, ``de.res``, …), those the
    bundle leaves out: other languages' items and the trees Qt never uses."""
    gone = []
    for item in items:
        tree, _, name = item.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        if tree in ICU_UNUSED_TREES:
            gone.append(item)
        elif tree in ICU_LANGUAGE_TREES and name.endswith(".res"):
            language = stem.split("_", 1)[0]
            is_language = language.isalpha() and language.islower() and 2 <= len(language) <= 3
            if is_language and language not in ICU_KEPT_LANGUAGES and stem != "res_index":
                gone.append(item)
    return gone


def _dynamic_symbol(library: Path, pattern: str) -> tuple[str, int, int] | None:
    """(name, file offset, size) of the library's exported data symbol matching ``pattern``."""
    symbols = subprocess.run(["readelf", "-Ws", "--dyn-syms", str(library)], capture_output=True, text=True,
                             check=True).stdout
    found = next((line.split() for line in symbols.splitlines() if re.search(pattern, line)), None)
    if found is None:
        return None
    value, size, section, name = int(found[1], 16), int(found[2], 0), found[6], found[7]
    sections = subprocess.run(["readelf", "-SW", str(library)], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if fields and fields[0] == f"[{section}]":
            address, offset = int(fields[3], 16), int(fields[4], 16)
            return name, value - address + offset, size
    return None


def icu_probe(library_dir: Path | None) -> tuple[str, list[str]]:
    """What Qt's ICU answers (Japanese and English collation, case, time-zone names, encodings),
    with ICU's data from ``library_dir`` (None: the one PySide6 ships); and the data library loaded."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if library_dir is not None:
        env["LD_LIBRARY_PATH"] = str(library_dir)  # before PySide6's RUNPATH
    done = subprocess.run([sys.executable, "-c", ICU_PROBE], capture_output=True, text=True, env=env, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"ICU check failed:\n{done.stderr[-3000:]}")
    return done.stdout, list(ast.literal_eval(done.stderr.strip().splitlines()[-1]))


def trim_icu_data(qt_lib: Path) -> int:
    """Leave other languages' data out of Qt's ICU data library (see above); bytes freed."""
    library = next(iter(sorted(qt_lib.glob("libicudata.so.*"))), None)
    missing = [tool for tool in ICU_TOOLS if shutil.which(tool) is None]
    if library is None or library.is_symlink() or sys.platform != "linux":
        return 0
    if missing:
        print(f"note: ICU's data stay whole ({', '.join(missing)} not installed: apt-get install icu-devtools binutils)",
              file=sys.stderr)
        return 0
    symbol = _dynamic_symbol(library, r" icudt\d+_dat$")
    if symbol is None:
        raise SystemExit(f"{library.name} exports no icudt*_dat: ICU's data cannot be trimmed")
    name, offset, size = symbol
    package = name.removesuffix("_dat")  # icudt73
    with tempfile.TemporaryDirectory(prefix="jcim-icu-") as tmp:
        work = Path(tmp)
        whole, trimmed = work / "whole" / f"{package}l.dat", work / "trimmed" / f"{package}l.dat"
        whole.parent.mkdir()
        trimmed.parent.mkdir()
        with library.open("rb") as f:
            f.seek(offset)
            whole.write_bytes(f.read(size))
        items = subprocess.run(["icupkg", "-l", str(whole)], capture_output=True, text=True, check=True).stdout.split()
        removal = work / "remove.txt"
        removal.write_text("\n".join(icu_items_to_remove(items)) + "\n", encoding="utf-8")
        subprocess.run(["icupkg", "-r", str(removal), str(whole), str(trimmed)], check=True, capture_output=True)
        subprocess.run(["genccode", "-q", "-e", package, "-a", "gcc", "-d", str(work), str(trimmed)], check=True)
        assembly = work / f"{package}l_dat.S"
        # genccode's assembly is meant for the C preprocessor, which hides the symbol unless told not
        # to and includes CET's header: neither is wanted (``as`` alone reads it).
        text = assembly.read_text(encoding="ascii")
        text = text.replace(f"#ifdef U_HIDE_DATA_SYMBOL\n\t.hidden {name}\n#endif\n", "")
        text = text.replace("#ifdef __CET__\n# include <cet.h>\n#endif\n", "")
        assembly.write_text(text, encoding="ascii")
        made = work / "lib" / library.name
        made.parent.mkdir()
        subprocess.run(["as", "-o", str(work / "data.o"), str(assembly)], check=True)
        subprocess.run(["ld", "-shared", "-soname", library.name, "-o", str(made), str(work / "data.o")], check=True)
        check_icu_data(made.parent)
        freed = library.stat().st_size - made.stat().st_size
        shutil.copy2(made, library)
    return freed


def check_icu_data(trimmed_dir: Path) -> None:
    """Qt answers the same with the trimmed ICU data as with the whole (SystemExit if not)."""
    whole, _ = icu_probe(None)
    trimmed, loaded = icu_probe(trimmed_dir)
    if not any(path.startswith(str(trimmed_dir)) for path in loaded):
        raise SystemExit(f"ICU check failed: the trimmed data were not the ones loaded ({loaded})")
    if trimmed != whole:
        raise SystemExit(f"ICU check failed: Qt answers otherwise with the trimmed data:\n{whole}\n{trimmed}")


def folder_size(path: Path) -> int:
    """Bytes on disk; symbolic links (PyInstaller links some libraries) are not counted twice."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def smoke(exe: Path, keep: Path | None = None, postgres: str | None = None) -> None:
    """Run the frozen program headless: init, demo, tally, screenshots. Fail loudly.

    ``keep``: copy the screenshots and PDFs there, to look at them. ``postgres``: the URL of a
    PostgreSQL server's administrative database (``tests/postgres.py start`` prints one) on which
    a shared database is made, used by the frozen program and dropped.
    """
    with tempfile.TemporaryDirectory(prefix="jcim-smoke-") as tmp:
        data = Path(tmp) / "data"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", JCIM_DESKTOP_DATA_DIR=str(Path(tmp) / "default"))

        def run(*argv: str, extra_env: dict[str, str] | None = None, status: int = 0) -> subprocess.CompletedProcess[str]:
            try:
                result = subprocess.run([str(exe), *argv], capture_output=True, text=True,
                                        env={**env, **(extra_env or {})}, timeout=300)
            except subprocess.TimeoutExpired as exc:
                # E.g. an error dialog waiting for a click that no one can give offscreen.
                raise SystemExit(f"SMOKE TEST FAILED: {' '.join(argv)} did not finish in {exc.timeout:.0f} s") from None
            if result.returncode != status or "Traceback" in result.stderr:
                raise SystemExit(f"SMOKE TEST FAILED: {' '.join(argv)} (exit {result.returncode})\n"
                                 f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
            return result

        run("init", "--org", "chugoku", "--data-dir", str(data))
        run("demo", "--data-dir", str(data))
        tally = json.loads(run("tally", "--fy", "2024", "--format", "json", "--data-dir", str(data)).stdout)
        if not tally["kpis"]["supported_municipalities"]["total"]:
            raise SystemExit("SMOKE TEST FAILED: the frozen tally counted nothing")
        shots = Path(tmp) / "shots"
        run("gui", "--screenshot", str(shots), "--data-dir", str(data))
        pages = sorted(p.name for p in shots.glob("*.png"))
        if len(pages) < 9:
            raise SystemExit(f"SMOKE TEST FAILED: only {pages} were rendered")
        # The English catalogue is bundled and found: the same pages render in English.
        run("gui", "--screenshot", str(shots / "en"), "--language", "en", "--size", "1024x680", "--data-dir", str(data))
        if sorted(p.name for p in (shots / "en").glob("*.png")) != pages:
            raise SystemExit("SMOKE TEST FAILED: the English pages were not all rendered")
        pdf = Path(tmp) / "kpi.pdf"
        run("tally", "--fy", "2024", "--format", "pdf", "--out", str(pdf), "--data-dir", str(data))
        bundled_font_pdf = smoke_bundled_font(exe, run, Path(tmp), data, shots)
        # Sync through the frozen program: export, trust, import (orjson, cryptography), backups.
        package, key, secretariat = Path(tmp) / "chugoku.jcimsync", Path(tmp) / "chugoku.pub", Path(tmp) / "sec"
        run("export", "--out", str(package), "--data-dir", str(data))
        run("key", "export", "--out", str(key), "--data-dir", str(data))
        run("init", "--org", "secretariat", "--data-dir", str(secretariat))
        run("trust", "add", "--org", "chugoku", str(key), "--data-dir", str(secretariat))
        (outcome,) = json.loads(run("import", str(package), "--format", "json", "--data-dir", str(secretariat)).stdout)
        if outcome["status"] != "accepted" or not outcome["inserted"]:
            raise SystemExit(f"SMOKE TEST FAILED: the frozen import did not accept the package: {outcome}")
        if not json.loads(run("backup", "list", "--format", "json", "--data-dir", str(secretariat)).stdout):
            raise SystemExit("SMOKE TEST FAILED: no backup was listed after an import")
        smoke_postgres_driver(run, Path(tmp))
        if postgres is not None:
            smoke_shared_database(run, postgres, Path(tmp))
        if bundled_data_written(exe):
            raise SystemExit("SMOKE TEST FAILED: the program wrote into its own bundle")
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(shots, keep)
            for made in (pdf, bundled_font_pdf):
                shutil.copy2(made, keep / made.name)
        print(f"smoke test passed: init, demo, tally (支援自治体数 {tally['kpis']['supported_municipalities']['total']}),"
              f" {len(pages)} pages rendered, KPI PDF {pdf.stat().st_size:,} bytes,"
              f" package of {outcome['inserted']:,} records exported and imported", file=sys.stderr)


def smoke_postgres_driver(run: Callable[..., subprocess.CompletedProcess[str]], tmp: Path) -> None:
    """The PostgreSQL driver and its libpq are bundled and load: ``db check`` of a server that is
    not there (nothing listens on port 1) says in Japanese that it cannot connect, quoting libpq.
    (Without the driver it is a crash; without libpq, an error of psycopg's own.)"""
    url = "postgresql+psycopg://jcim@127.0.0.1:1/jcim"
    said = run("db", "check", "--data-dir", str(tmp / "pg-admin"), "--database-url", url, status=1).stderr
    if "に接続できません" not in said or 'connection to server at "127.0.0.1", port 1 failed' not in said:
        raise SystemExit(f"SMOKE TEST FAILED: the frozen program's PostgreSQL driver did not try the server:\n{said[-3000:]}")


def smoke_shared_database(run: Callable[..., subprocess.CompletedProcess[str]], admin_url: str, tmp: Path) -> None:
    """A secretariat on a shared database through the frozen program: the administrator's
    ``db migrate`` of an empty database, a staff member's ``init``, the demo data, a tally,
    ``db check`` and a ``pg_dump`` backup. The database is made here and dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"jcim_smoke_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C' TEMPLATE template0"))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    staff = tmp / "shared-staff"
    try:
        run("db", "migrate", "--data-dir", str(tmp / "shared-admin"), "--database-url", url)
        run("init", "--org", "secretariat", "--user", "山田", "--data-dir", str(staff), "--database-url", url)
        run("demo", "--data-dir", str(staff))
        tally = json.loads(run("tally", "--fy", "2024", "--format", "json", "--data-dir", str(staff)).stdout)
        if not tally["kpis"]["supported_municipalities"]["total"]:
            raise SystemExit("SMOKE TEST FAILED: the frozen tally of the shared database counted nothing")
        found = json.loads(run("db", "check", "--format", "json", "--data-dir", str(staff)).stdout)
        if not found["ok"] or found["engine"] != "postgresql" or len(found["installations"]) != 1:
            raise SystemExit(f"SMOKE TEST FAILED: db check of the shared database: {found}")
        run("backup", "create", "--data-dir", str(staff))
        listed = json.loads(run("backup", "list", "--format", "json", "--data-dir", str(staff)).stdout)
        if not any(b["name"].endswith(".pgdump") for b in listed):
            raise SystemExit(f"SMOKE TEST FAILED: no pg_dump backup of the shared database was listed: {listed}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(f"smoke test passed on PostgreSQL: migrate, init, demo, tally (支援自治体数 "
          f"{tally['kpis']['supported_municipalities']['total']}), db check, a pg_dump backup", file=sys.stderr)


def smoke_bundled_font(exe: Path, run: Callable[..., object], tmp: Path, data: Path, shots: Path) -> Path:
    """The bundled Japanese font ships with its licence, and a frozen program that finds no font on
    the machine (an empty fontconfig; the report's font search hidden) draws the window and embeds
    the PDF's text with it. Returns the PDF."""
    internal = exe.parent / "_internal"
    if internal.is_dir():  # one folder (a one-file build keeps it inside the executable)
        for name in ("ipaexg.ttf", "IPA_Font_License_Agreement_v1.0.txt"):
            if not (internal / "resources" / "fonts" / name).is_file():
                raise SystemExit(f"SMOKE TEST FAILED: resources/fonts/{name} is not in the bundle")
    conf = tmp / "no-fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=tmp / "fontconfig-cache"), encoding="utf-8")
    bare = {"FONTCONFIG_FILE": str(conf), "JCIM_DESKTOP_TEST_NO_SYSTEM_FONTS": "1"}
    run("gui", "--screenshot", str(shots / "bundled-font"), "--size", "1024x680", "--data-dir", str(data),
        extra_env=bare)
    if not any((shots / "bundled-font").glob("*.png")):
        raise SystemExit("SMOKE TEST FAILED: nothing was rendered without system fonts")
    pdf = tmp / "kpi-bundled-font.pdf"
    run("tally", "--fy", "2024", "--format", "pdf", "--out", str(pdf), "--data-dir", str(data), extra_env=bare)
    body = pdf.read_bytes()
    if b"/FontFile2" not in body or b"+IPAexGothic" not in body or b"HeiseiKakuGo" in body:
        raise SystemExit("SMOKE TEST FAILED: without system fonts the PDF does not embed the bundled IPAex Gothic")
    return pdf


def bundled_data_written(exe: Path) -> bool:
    bundle = exe.parent
    return any(bundle.rglob("*.sqlite3")) or any(bundle.rglob("settings.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one self-extracting file instead of a folder")
    parser.add_argument("--skip-smoke", action="store_true", help="build only")
    parser.add_argument("--console", action="store_true", help="Windows: keep the console (for smoke tests)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--keep-shots", type=Path, metavar="DIR", help="copy the smoke run's screenshots and PDFs here")
    parser.add_argument("--postgres", metavar="URL", default=os.environ.get("JCIM_TEST_POSTGRES") or None,
                        help="smoke-test a shared database too, made on this PostgreSQL server (the URL of a "
                             "database the role may CREATE DATABASE from; `python tests/postgres.py start DIR` "
                             "prints one; default: $JCIM_TEST_POSTGRES, as for the tests)")
    args = parser.parse_args(argv)
    name, version = project()
    t0 = time.perf_counter()
    exe = build(args.onefile, args.dist, ROOT / "build" / "pyinstaller", console=args.console)
    built = time.perf_counter() - t0
    target = exe if args.onefile else exe.parent
    freed = 0 if args.onefile else prune(target)
    size = folder_size(target)
    archive = None
    if not args.onefile:
        archive = Path(shutil.make_archive(str(args.dist / f"{name}-{version}-{sys.platform}"), "zip",
                                           root_dir=args.dist, base_dir=target.name))
    print(f"built {target} in {built:.0f} s: {size / 1e6:.0f} MB (pruned {freed / 1e6:.0f} MB)"
          + (f"; zip {archive.name} {archive.stat().st_size / 1e6:.0f} MB" if archive else ""), file=sys.stderr)
    if not args.skip_smoke:
        smoke(exe, args.keep_shots, args.postgres)
    return 0


if __name__ == "__main__":
    sys.exit(main())
