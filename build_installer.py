"""Build the Windows/Linux one-folder bundle with PyInstaller (arrives with the installer issue)."""

from __future__ import annotations

import sys


def main() -> int:
    print(
        "インストーラの作成は、まだこの版にはありません（PyInstaller による一フォルダ形式の作成を予定しています）。",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
