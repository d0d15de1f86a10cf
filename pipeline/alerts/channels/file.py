"""The `file` channel: each payload appended as one JSON line to the target path."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.alerts.channels.base import Delivery, SendResult, encode_payload
from pipeline.errors import PermanentError


class FileChannel:
    """Appends JSON lines; several threads or processes may write the same file.

    Each line goes out in one `os.write` on an O_APPEND descriptor, so concurrent writers
    never interleave (POSIX appends are atomic per write for regular local files). The
    line carries `delivery_id` so a reader can drop the repeat a retry may leave.
    """

    name = "file"

    def __init__(self, base_dir: Path | None = None) -> None:
        self.base_dir = base_dir

    def _path(self, target: str) -> Path:
        path = Path(target)
        return path if self.base_dir is None or path.is_absolute() else self.base_dir / path

    def validate_target(self, target: str, *, allow_loopback: bool = False) -> None:
        """With a `base_dir`, a target must stay inside it: a subscriber picks the path, so an
        absolute one or `..` would let them write anywhere the process may."""
        if "\x00" in target:
            raise PermanentError("file target contains a NUL byte")
        if self.base_dir is not None and target:
            inside = self.base_dir.resolve()
            if not self._path(target).resolve().is_relative_to(inside):
                raise PermanentError(f"file targets must be inside {inside}")
        if not target or not target.strip():
            raise PermanentError(
                "file target is empty: give a path such as alerts.jsonl (under the var directory)"
            )
        if self._path(target).is_dir():
            raise PermanentError(f"file target {target!r} is a directory")

    def send(self, delivery: Delivery) -> SendResult:
        path = self._path(delivery.target)
        record = {"delivery_id": delivery.delivery_id, **delivery.payload}
        line = encode_payload(record) + b"\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                written = os.write(fd, line)
            finally:
                os.close(fd)
        except (IsADirectoryError, NotADirectoryError, PermissionError) as exc:
            return SendResult.dead(f"cannot write {path}: {exc}")
        except OSError as exc:  # disk full, NFS hiccup: may pass
            return SendResult.retry(f"cannot write {path}: {exc}")
        if written != len(line):
            return SendResult.retry(f"short write to {path}: {written} of {len(line)} bytes")
        return SendResult.success(detail=f"appended to {path}")
