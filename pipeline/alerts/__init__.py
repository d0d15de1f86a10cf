"""Alerts: matching subscriptions, composing, rendering and delivering them."""
