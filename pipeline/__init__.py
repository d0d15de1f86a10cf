"""newsmon's domain: pure stages from feed bytes to alerts, with no Celery imports."""

__version__ = "0.1.0"
