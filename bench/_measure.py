"""Run one command and measure it: ``python -S _measure.py RESULT.json COMMAND ARGS…``.

Writes ``{"seconds", "peak_mb", "returncode"}`` to RESULT.json: the wall time from just before
the command is spawned until it has been reaped, and its peak resident memory (``ru_maxrss`` of
``wait4``). This helper is small, so the command's ru_maxrss is its own: Linux carries the
spawning process's peak over fork + exec into the child's ru_maxrss, which is why the (large)
benchmark process does not spawn the command itself. The command's standard output and error
are this helper's (the benchmark captures them).
"""

import json
import os
import sys
import time


def main() -> int:
    result_path, argv = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    # ru_maxrss: KiB on Linux, bytes on macOS.
    peak_mb = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    code = os.waitstatus_to_exitcode(status)
    with open(result_path, "w") as out:
        json.dump({"seconds": seconds, "peak_mb": peak_mb, "returncode": code}, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
