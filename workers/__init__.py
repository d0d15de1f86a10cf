"""The outer layer: the Celery app and tasks, the poller service, the CLI and the wiring."""
