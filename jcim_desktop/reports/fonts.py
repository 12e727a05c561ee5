"""The Japanese font of the PDF reports: an embedded TrueType font found on the machine, or the
built-in CID font HeiseiKakuGo-W5 as a last resort.

Embedding matters: a CID font is not embedded, so each viewer substitutes its own font and the
report looks different everywhere (DESIGN.md, pitfalls). The search prefers the Gothic faces
official documents use on each platform:

- Windows: Yu Gothic (YuGothM.ttc, YuGothR.ttc), Meiryo (meiryo.ttc), MS Gothic (msgothic.ttc)
  in ``%WINDIR%\\Fonts`` or the per-user font folder;
- Linux: IPAex Gothic (Debian's ``fonts-ipaexfont``), then a glyf-based Noto Sans JP TTF. Debian's
  ``fonts-noto-cjk`` ships CFF-outline .ttc files, which reportlab cannot embed; those are skipped
  by looking at the font's tables before trying it;
- everywhere, when the machine has none of those: IPAex Gothic as shipped with the application
  (``resources/fonts/ipaexg.ttf``, the same file the window registers; jcim_desktop/system.py).

``japanese_font()`` registers the choice with reportlab once per process, logs it on the
``jcim_desktop.reports`` logger and returns a ``FontChoice`` whose ``description`` the settings
dialog shows. reportlab is imported only when a font is first needed.
"""

from __future__ import annotations

import functools
import logging
import os
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jcim_desktop.system import bundled_font, system_fonts_hidden

log = logging.getLogger("jcim_desktop.reports")

FONT_NAME = "JcimGothic"
"""The name the reports use for the embedded Japanese font."""
CID_FONT = "HeiseiKakuGo-W5"
"""reportlab's built-in Japanese Gothic CID font (not embedded)."""

# Characters every candidate must have (era names, units, brackets the reports print).
_REQUIRED_CHARS = "令和年度月日支援自治体数総合計小計参画率〇（）／～％・ー"


@dataclass(frozen=True)
class FontChoice:
    """The font the reports use: reportlab font ``name``, its file (None for the CID font)."""

    name: str
    path: Path | None
    embedded: bool
    description: str
    label: str
    """The font's name as Japanese users know it (IPAexゴシック, 游ゴシック …)."""


@dataclass(frozen=True)
class Candidate:
    """A font file that may hold a Japanese Gothic face (``subfont``: index in a .ttc)."""

    path: Path
    label: str
    subfont: int = 0
    bundled: bool = False
    """The font shipped with the application (not the machine's)."""


def _windows_font_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows") / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _windows_candidates() -> Iterator[Candidate]:
    names = (
        ("YuGothM.ttc", "游ゴシック Medium"),
        ("YuGothR.ttc", "游ゴシック Regular"),
        ("meiryo.ttc", "メイリオ"),
        ("msgothic.ttc", "ＭＳ ゴシック"),
    )
    for folder in _windows_font_dirs():
        for file_name, label in names:
            yield Candidate(folder / file_name, label)


_LINUX_FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")

_LINUX_FILES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", "IPAexゴシック"),
    ("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf", "IPAexゴシック"),
    ("/usr/share/fonts/ipaexfont-gothic/ipaexg.ttf", "IPAexゴシック"),
    ("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf", "日本語ゴシック（fonts-japanese-gothic）"),
)

# File names searched for under the font roots when the usual paths do not exist.
_LINUX_NAMES: tuple[tuple[str, str], ...] = (
    ("ipaexg.ttf", "IPAexゴシック"),
    ("NotoSansJP-Regular.ttf", "Noto Sans JP"),
    ("NotoSansJP-Medium.ttf", "Noto Sans JP"),
    ("NotoSansJP[wght].ttf", "Noto Sans JP"),
    ("ipag.ttf", "IPAゴシック"),
)


def _linux_candidates() -> Iterator[Candidate]:
    for path, label in _LINUX_FILES:
        yield Candidate(Path(path), label)
    for root in _LINUX_FONT_ROOTS:
        base = Path(root).expanduser()
        if not base.is_dir():
            continue
        for file_name, label in _LINUX_NAMES:
            for found in sorted(base.rglob(file_name)):
                yield Candidate(found, label)


def _mac_candidates() -> Iterator[Candidate]:
    for folder in (Path("/System/Library/Fonts"), Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"):
        for file_name, label in (("ipaexg.ttf", "IPAexゴシック"), ("NotoSansJP-Regular.ttf", "Noto Sans JP")):
            yield Candidate(folder / file_name, label)


def system_candidates() -> list[Candidate]:
    """The machine's font files to try, best first, for this platform (existing or not)."""
    if system_fonts_hidden():
        return []
    if sys.platform == "win32":
        return list(_windows_candidates())
    if sys.platform == "darwin":
        return list(_mac_candidates())
    return list(_linux_candidates())


def bundled_candidate() -> Candidate:
    """IPAex Gothic as shipped with the application."""
    return Candidate(bundled_font(), "IPAexゴシック", bundled=True)


def candidates() -> list[Candidate]:
    """The font files to try, best first: the machine's, then the one shipped with the application."""
    found = [*system_candidates(), bundled_candidate()]
    seen: set[tuple[str, int]] = set()
    unique: list[Candidate] = []
    for c in found:
        key = (str(c.path), c.subfont)
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def has_truetype_outlines(path: Path, subfont: int = 0) -> bool:
    """Whether the font (a .ttf/.otf, or face ``subfont`` of a .ttc) has TrueType (glyf) outlines.

    reportlab embeds only those; a CFF (PostScript-outline) face is refused when registered,
    which this check avoids trying on a large file.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12:
                return False
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if not 0 <= subfont < count:
                    return False
                f.seek(12 + 4 * subfont)
                offset = struct.unpack(">I", f.read(4))[0]
                f.seek(offset)
                head = f.read(12)
                if len(head) < 12:
                    return False
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False
            tables = struct.unpack(">H", head[4:6])[0]
            directory = f.read(16 * tables)
            tags = {directory[i * 16 : i * 16 + 4] for i in range(len(directory) // 16)}
            return b"glyf" in tags and b"loca" in tags
    except OSError:
        return False


def _try_register(candidate: Candidate) -> FontChoice | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not candidate.path.is_file() or not has_truetype_outlines(candidate.path, candidate.subfont):
        return None
    try:
        font = TTFont(FONT_NAME, str(candidate.path), subfontIndex=candidate.subfont)
    except (TTFError, OSError, ValueError, struct.error) as exc:
        log.info("PDF font %s skipped: %s", candidate.path, exc)
        return None
    glyphs = font.face.charToGlyph
    missing = [ch for ch in _REQUIRED_CHARS if ord(ch) not in glyphs]
    if missing:
        log.info("PDF font %s skipped: no glyphs for %s", candidate.path, "".join(missing))
        return None
    pdfmetrics.registerFont(font)
    _register_family(FONT_NAME)
    where = f"アプリに同梱の {candidate.path.name}" if candidate.bundled else candidate.path.name
    return FontChoice(FONT_NAME, candidate.path, True, f"{candidate.label}（{where}、PDFに埋め込み）", candidate.label)


def _register_family(name: str) -> None:
    # One weight only: <b> in a paragraph falls back to the same face instead of failing.
    from reportlab.lib.fonts import addMapping

    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def _cid_fallback() -> FontChoice:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    _register_family(CID_FONT)
    return FontChoice(
        CID_FONT,
        None,
        False,
        "平成角ゴシック W5（PDF標準のCIDフォント、埋め込みなし：閲覧環境によって字形が変わります）",
        "平成角ゴシック W5",
    )


@functools.cache
def japanese_font() -> FontChoice:
    """The Japanese font of the reports, registered with reportlab (searched once per process)."""
    for candidate in candidates():
        choice = _try_register(candidate)
        if choice is not None:
            log.info("PDF font: %s", choice.description)
            return choice
    choice = _cid_fallback()
    log.warning("PDF font: no embeddable Japanese TrueType font found; using %s", choice.description)
    return choice
