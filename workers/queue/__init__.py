"""The Celery app, its thin tasks and what enqueues them."""
