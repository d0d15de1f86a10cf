"""Runs one newsmon command in this process and writes its peak RSS (KiB) to a file on exit.

Usage: python measured.py RSS_FILE newsmon-args...  (the tests' way to bound a poller's memory)
"""

from __future__ import annotations

import atexit
import resource
import sys
from pathlib import Path


def _write_peak(path: Path) -> None:
    path.write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


if __name__ == "__main__":
    target = Path(sys.argv[1])
    atexit.register(_write_peak, target)
    sys.argv = ["newsmon", *sys.argv[2:]]
    from workers.cli.main import main

    main()
