"""Processes: supervisor, embedded Redis, health, logs, metrics, the service."""
