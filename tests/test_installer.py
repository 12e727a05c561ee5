"""The installer's build (build_installer.py) without building: every module it names is there to
be bundled, the PostgreSQL driver loads with the standard modules the build leaves out missing
(as in the frozen program), and the smoke test's PostgreSQL steps pass on the source program
(CI's last step runs them on the frozen one). The tests on a server run with --postgres."""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOWHERE = "postgresql+psycopg://jcim@127.0.0.1:1/jcim"
"""A server that is not there (nothing listens on port 1): libpq is refused at once."""


def _build_installer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_installer", ROOT / "build_installer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_module_the_build_names_is_there_to_be_bundled(tmp_path: Path) -> None:
    build = _build_installer()
    import psycopg  # noqa: F401 - psycopg_binary refuses to be imported first

    for name in build.HIDDEN_IMPORTS + build.COLLECT_SUBMODULES:
        assert importlib.import_module(name) is not None  # a missing one is only a warning to PyInstaller
    args = build.pyinstaller_args(False, tmp_path / "dist", tmp_path / "work")
    hidden = {args[i + 1] for i, arg in enumerate(args) if arg == "--hidden-import"}
    assert {"sqlalchemy.dialects.postgresql.psycopg", "psycopg", "psycopg_binary.pq"} <= hidden
    excluded = {args[i + 1] for i, arg in enumerate(args) if arg == "--exclude-module"}
    assert "ssl" not in excluded and "_ssl" not in excluded  # psycopg_binary imports ssl when it loads


LOAD_DRIVER = """
import json, sys
blocked = set(json.loads(sys.argv[1]))

class LeftOut:
    # The modules the build excludes are not there, as in the frozen program.
    def find_spec(self, name, path=None, target=None):
        if name in blocked or any(name.startswith(b + ".") for b in blocked):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, LeftOut())
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

engine = create_engine(sys.argv[2])
try:
    with engine.connect() as conn:
        print("connected", conn.execute(text("SELECT 1")).scalar())
except OperationalError as exc:
    print("refused", str(exc.orig).splitlines()[0])
import psycopg
print("implementation", psycopg.pq.__impl__)
"""


def test_the_postgresql_driver_loads_without_the_modules_the_build_leaves_out(postgres) -> None:  # type: ignore[no-untyped-def]
    build = _build_installer()
    url = postgres.admin_url if postgres is not None else NOWHERE
    done = subprocess.run([sys.executable, "-c", LOAD_DRIVER, json.dumps(build.EXCLUDES), url],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    said = done.stdout.splitlines()
    assert said[-1] == "implementation binary"  # psycopg_binary: libpq comes with it
    if postgres is not None:
        assert said[0] == "connected 1"
    else:
        assert said[0].startswith("refused ") and 'connection to server at "127.0.0.1", port 1 failed' in said[0]


def _source_program(*argv: str, extra_env: dict[str, str] | None = None,
                    status: int = 0) -> subprocess.CompletedProcess[str]:
    """The smoke test's ``run``, on the source program instead of the frozen one."""
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(extra_env or {})}
    done = subprocess.run([sys.executable, "-m", "jcim_desktop.cli", *argv], capture_output=True, text=True,
                          env=env, timeout=300, cwd=ROOT)
    assert done.returncode == status and "Traceback" not in done.stderr, (argv, done.stdout[-2000:],
                                                                         done.stderr[-2000:])
    return done


def test_the_smoke_tests_driver_check_passes_on_the_source_program(tmp_path: Path) -> None:
    _build_installer().smoke_postgres_driver(_source_program, tmp_path)


@pytest.mark.slow
def test_the_smoke_tests_shared_database_passes_on_the_source_program(postgres, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if postgres is None:
        pytest.skip("needs a PostgreSQL server (pytest --postgres URL)")
    _build_installer().smoke_shared_database(_source_program, postgres.admin_url, tmp_path)


def test_icu_data_of_other_languages_and_unused_trees_are_left_out() -> None:
    build = _build_installer()
    items = ["coll/ja.res", "coll/root.res", "coll/ucadata.icu", "coll/sv.res", "coll/zh_Hant.res", "de.res",
             "ja.res", "en_GB.res", "root.res", "pool.res", "res_index.res", "zone/de.res", "zone/ja.res",
             "curr/fr_CA.res", "unit/en_001.res", "lang/ja.res", "region/yue.res", "translit/root.res",
             "translit/Hiragana_Katakana.res", "rbnf/ja.res", "brkitr/cjdict.dict", "brkitr/ja.res",
             "ibm-943_P15A-2003.cnv", "uprops.icu", "nfkc.nrm", "zoneinfo64.res", "supplementalData.res",
             "likelySubtags.res"]
    assert sorted(build.icu_items_to_remove(items)) == sorted([
        "coll/sv.res", "coll/zh_Hant.res", "de.res", "zone/de.res", "curr/fr_CA.res", "region/yue.res",
        "translit/root.res", "translit/Hiragana_Katakana.res", "rbnf/ja.res"])


@pytest.mark.skipif(sys.platform != "linux", reason="the bundle's ICU data are trimmed on Linux")
def test_the_trimmed_icu_data_answer_japanese_and_english_as_the_whole_and_are_smaller(tmp_path: Path) -> None:
    import shutil

    import PySide6

    build = _build_installer()
    if any(shutil.which(tool) is None for tool in build.ICU_TOOLS):
        pytest.skip("ICU's tools are not installed (apt-get install icu-devtools binutils)")
    (whole,) = (Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*")
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy2(whole, lib / whole.name)
    # trim_icu_data checks Qt's answers with the trimmed data against the whole before it replaces them.
    freed = build.trim_icu_data(lib)
    assert freed > whole.stat().st_size / 2 and (lib / whole.name).stat().st_size == whole.stat().st_size - freed
    answers, loaded = build.icu_probe(lib)
    assert loaded == [str(lib / whole.name)] and "日本標準時" in answers
