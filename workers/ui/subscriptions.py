"""Dashboard pages: subscriptions."""

from __future__ import annotations

from fastapi import APIRouter

from workers.ui.session import PREFIX

router = APIRouter(prefix=PREFIX, include_in_schema=False)
