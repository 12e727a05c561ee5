"""Keep the English catalogue in step with the code, and compile it.

    python resources/i18n/update.py            # list untranslated Japanese literals, compile the .qm
    python resources/i18n/update.py --stubs    # also add them to the .ts as unfinished entries
    python resources/i18n/update.py --check    # exit 1 if anything is untranslated or the .qm is stale

The UI modules use plain Japanese literals (Japanese is the first language); the English layer
(``jcim_desktop/ui/i18n.py``) looks each shown text up in context ``jcim`` of
``jcim_desktop_en.ts``. The extractor below finds what a person can see: string constants with
kana or kanji in ``jcim_desktop/ui/**/*.py`` (docstrings and f-string fragments left out),
every ``<string>`` of ``forms/*.ui``, and the vocabularies, KPI labels and organisation names
of ``domain/`` that widgets show. Texts with dynamic parts (f-strings) are listed separately;
they are translated by ``i18n.PATTERNS``, not by exact entries.
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS_FILE = HERE / "jcim_desktop_en.ts"
QM_FILE = HERE / "jcim_desktop_en.qm"
CONTEXT = "jcim"

JAPANESE = re.compile(r"[\u3005\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
"""Kana or kanji: a string without them needs no entry (punctuation alone does not count)."""

PY_SOURCES = ("jcim_desktop/ui/**/*.py",)
EXCLUDE = ("jcim_desktop/ui/i18n.py",)
"""The English layer itself: its Japanese is regex text, not UI text."""
UI_SOURCES = ("forms/*.ui",)
DOMAIN_SOURCES = (
    "jcim_desktop/domain/vocab.py",
    "jcim_desktop/domain/kpi.py",
    "jcim_desktop/domain/orgs.py",
    "jcim_desktop/domain/entities.py",
    "jcim_desktop/domain/matching.py",
    "jcim_desktop/domain/lgcodes.py",
    "jcim_desktop/services/listing.py",
    "jcim_desktop/services/dashboard.py",
    "jcim_desktop/services/kpi_table.py",
)
"""Domain and service tables whose labels reach widgets: combo items, cards, list cells and headers."""
CSV_SOURCES = (("resources/prefectures.csv", "name"),)
"""Master data shown in filters: the 47 prefecture names (municipality names stay Japanese)."""

IGNORE: frozenset[str] = frozenset({
    "都府県",  # widgets/japan_map.py: the suffixes stripped from prefecture names, never shown
    "-全国",  # pages/sync_page.py: part of a suggested file name
    "号",  # pages/sync_page.py: the tail of "第2・4号", translated as a whole by a pattern
})
"""Literals found by the extractor that deliberately have no entry."""


@dataclass
class Found:
    literals: dict[str, list[str]] = field(default_factory=dict)
    """Exact texts → where they occur (``path:line``)."""
    dynamic: dict[str, list[str]] = field(default_factory=dict)
    """f-strings, with ``{}`` for each replacement field → where they occur."""

    def add(self, bucket: dict[str, list[str]], text: str, where: str) -> None:
        bucket.setdefault(text, []).append(where)


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            # Docstrings, and the attribute docstrings written as a bare string after a name.
            for stmt in body:
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                    ids.add(id(stmt.value))
    return ids


def _fstring_template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value.replace("{", "{{").replace("}", "}}"))
        else:
            parts.append("{}")
    return "".join(parts)


def extract_python(path: Path, found: Found, *, rel: str) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstring_nodes(tree)
    in_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            template = _fstring_template(node)
            if JAPANESE.search(template):
                found.add(found.dynamic, template, f"{rel}:{node.lineno}")
            for value in ast.walk(node):
                in_fstrings.add(id(value))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in skip or id(node) in in_fstrings:
            continue
        text = node.value
        if JAPANESE.search(text):
            found.add(found.literals, text, f"{rel}:{node.lineno}")


def extract_ui(path: Path, found: Found, *, rel: str) -> None:
    tree = ET.parse(path)
    for element in tree.iter("string"):
        text = element.text or ""
        if JAPANESE.search(text) and element.get("notr") != "true":
            found.add(found.literals, text, rel)


def extract(root: Path = ROOT) -> Found:
    """Every Japanese text a person may see, from the UI code, the forms and the domain tables."""
    found = Found()
    for pattern in PY_SOURCES + DOMAIN_SOURCES:
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root).as_posix()
            if rel not in EXCLUDE:
                extract_python(path, found, rel=rel)
    for pattern in UI_SOURCES:
        for path in sorted(root.glob(pattern)):
            extract_ui(path, found, rel=path.relative_to(root).as_posix())
    for name, column in CSV_SOURCES:
        with (root / name).open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                text = row.get(column) or ""
                if JAPANESE.search(text):
                    found.add(found.literals, text, f"{name}:{number}")
    return found


# -- the catalogue ---------------------------------------------------------------------------

def read_ts(path: Path = TS_FILE) -> dict[str, str]:
    """Source → translation of context ``jcim`` (unfinished or empty translations left out)."""
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for context in ET.parse(path).getroot().iter("context"):
        if (context.findtext("name") or "") != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if translation.text:
                out[source] = translation.text
    return out


def all_ts_sources(path: Path = TS_FILE) -> set[str]:
    if not path.exists():
        return set()
    return {m.findtext("source") or "" for m in ET.parse(path).getroot().iter("message")}


def missing(found: Found | None = None, path: Path = TS_FILE) -> dict[str, list[str]]:
    """Japanese literals with no finished translation in the catalogue."""
    found = found or extract()
    translated = read_ts(path)
    return {t: w for t, w in found.literals.items() if t not in translated and t not in IGNORE}


def _indent(element: ET.Element, level: int = 0) -> None:
    pad = "\n" + "    " * level
    if len(element):
        if not (element.text or "").strip():
            element.text = pad + "    "
        for child in element:
            _indent(child, level + 1)
        last = element[-1]
        last.tail = pad
        for child in element[:-1]:
            child.tail = pad + "    "


def write_ts(entries: list[tuple[str, str | None]], path: Path = TS_FILE) -> None:
    """Write the catalogue: (source, translation or None for unfinished), in the given order."""
    root = ET.Element("TS", version="2.1", language="en_US", sourcelanguage="ja_JP")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source, translation in entries:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        element = ET.SubElement(message, "translation")
        if translation:
            element.text = translation
        else:
            element.set("type", "unfinished")
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def add_stubs(texts: list[str], path: Path = TS_FILE) -> int:
    """Append unfinished entries for ``texts`` not yet in the .ts; returns how many were added."""
    present = all_ts_sources(path)
    new = [t for t in texts if t not in present]
    if not new:
        return 0
    entries: list[tuple[str, str | None]] = []
    if path.exists():
        for message in ET.parse(path).getroot().iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") != "unfinished"
            entries.append((message.findtext("source") or "", (translation.text if finished and translation is not None else None)))
    entries.extend((t, None) for t in new)
    write_ts(entries, path)
    return len(new)


def lrelease() -> Path:
    """The ``lrelease`` of the PySide6 in this interpreter's environment."""
    exe = Path(sys.executable).parent / ("pyside6-lrelease.exe" if sys.platform == "win32" else "pyside6-lrelease")
    if exe.exists():
        return exe
    raise FileNotFoundError("pyside6-lrelease が見つかりません（PySide6 の入った環境で実行してください）。")


def compile_qm(ts: Path = TS_FILE, qm: Path = QM_FILE) -> Path:
    subprocess.run([str(lrelease()), "-silent", "-nounfinished", str(ts), "-qm", str(qm)], check=True)
    return qm


def qm_is_current(ts: Path = TS_FILE, qm: Path = QM_FILE) -> bool:
    """Whether ``qm`` is exactly what compiling ``ts`` gives now."""
    if not qm.exists():
        return False
    with tempfile.TemporaryDirectory() as tmp:
        fresh = compile_qm(ts, Path(tmp) / "fresh.qm")
        return fresh.read_bytes() == qm.read_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stubs", action="store_true", help="add untranslated literals to the .ts as unfinished")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if anything is missing or stale")
    parser.add_argument("--dynamic", action="store_true", help="also list the f-strings (translated by i18n.PATTERNS)")
    args = parser.parse_args(argv)

    found = extract()
    absent = missing(found)
    for text, where in sorted(absent.items(), key=lambda kv: kv[1][0]):
        print(f"{where[0]}\t{text!r}")
    print(f"{len(found.literals)} literals, {len(read_ts())} translations, {len(absent)} missing", file=sys.stderr)
    if args.dynamic:
        for text, where in sorted(found.dynamic.items(), key=lambda kv: kv[1][0]):
            print(f"dynamic\t{where[0]}\t{text!r}")
    if args.check:
        stale = not qm_is_current()
        if stale:
            print(f"{QM_FILE.name} is out of date: run this script without --check", file=sys.stderr)
        return 1 if absent or stale else 0
    if args.stubs and absent:
        print(f"added {add_stubs(sorted(absent))} unfinished entries to {TS_FILE.name}", file=sys.stderr)
    compile_qm()
    print(f"compiled {QM_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
