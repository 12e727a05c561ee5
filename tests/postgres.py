"""A throwaway PostgreSQL server for the tests' second run (``pytest --postgres URL``).

``python tests/postgres.py start DIR`` makes a cluster in ``DIR`` (Debian's ``initdb``; as the
``postgres`` user when run as root, which PostgreSQL requires), starts it listening only on a
Unix socket in ``DIR`` (no TCP port, nothing shared with the machine) and prints the URL of its
administrative database; ``stop DIR`` stops it. Durability is switched off: the data are thrown
away. ``.ci/run`` uses it; on a laptop with PostgreSQL installed it works the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROLE = "jcim"


def _bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parent.parent.name),
                   reverse=True)
    if found:
        return str(found[0])
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"PostgreSQL's {name} was not found (Debian: apt-get install postgresql)")
    return path


def _as_owner(argv: list[str], root: Path) -> list[str]:
    """Run as the ``postgres`` user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    shutil.chown(root, "postgres")
    return ["runuser", "-u", "postgres", "--", *argv]


def url(root: Path, database: str = "postgres") -> str:
    return f"postgresql+psycopg://{ROLE}@/{database}?host={root.resolve()}"


def start(root: Path) -> str:
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            _as_owner([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", ROLE, "-E", "UTF8", "--locale=C.UTF-8",
                       "--no-sync"], root),
            check=True, capture_output=True,
        )
    options = (f"-c listen_addresses='' -c unix_socket_directories={root} -c fsync=off "
               "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
    subprocess.run(
        _as_owner([_bin("pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options, "-w", "start"],
                  root),
        check=True, capture_output=True,
    )
    return url(root)


def stop(root: Path) -> None:
    root = root.resolve()
    subprocess.run(_as_owner([_bin("pg_ctl"), "-D", str(root / "data"), "-m", "fast", "-w", "stop"], root),
                   check=False, capture_output=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        raise SystemExit("usage: python tests/postgres.py start|stop DIR")
    if sys.argv[1] == "start":
        print(start(Path(sys.argv[2])))
    else:
        stop(Path(sys.argv[2]))
