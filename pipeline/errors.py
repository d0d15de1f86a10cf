"""The one exception hierarchy of newsmon.

NewsmonError
 +-- ConfigError            a setting or a config file entry is wrong (file, line, entry)
 +-- TransientError         worth retrying: timeouts, connection resets, 5xx, 429, a busy store
 |    +-- FetchTransient     a fetch failed for a reason that may pass (carries retry_after)
 +-- PermanentError         retrying cannot help: 4xx, unparseable input, a refused target
 |    +-- FetchPermanent     a fetch failed for good (404, too large, not a feed, unsafe target)
 |    +-- ParseError         a feed or article could not be read at all
 +-- DropItem               a stage decided the item goes no further (a duplicate, nothing new)

Transient versus permanent is decided at the edge that saw the failure; the workers map
TransientError to a Celery retry and everything else to a recorded failure.
"""

from __future__ import annotations


class NewsmonError(Exception):
    """Base of every error newsmon raises on purpose."""


class ConfigError(NewsmonError):
    """A config file or setting is invalid; the message names the file, line and entry."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line

    def __reduce__(self):  # pickle-safe for Celery
        return (_rebuild_config_error, (str(self), self.path, self.line))


def _rebuild_config_error(message: str, path: str | None, line: int | None) -> ConfigError:
    err = ConfigError.__new__(ConfigError)
    Exception.__init__(err, message)
    err.path, err.line = path, line
    return err


class TransientError(NewsmonError):
    """A failure that may pass: retry with backoff."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self):
        return (type(self), (str(self),), {"retry_after": self.retry_after})


class FetchTransient(TransientError):
    """A fetch failed for a reason that may pass (timeout, connection error, 5xx, 429)."""


class PermanentError(NewsmonError):
    """A failure that retrying cannot fix."""


class FetchPermanent(PermanentError):
    """A fetch failed for good (4xx, too large, unsafe target, redirect loop)."""


class ParseError(PermanentError):
    """A feed or article could not be read at all."""


class DropItem(NewsmonError):
    """A stage stops an item on purpose (a duplicate, an unchanged entry)."""
