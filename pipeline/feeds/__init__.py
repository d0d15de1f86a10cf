"""Feeds: fetching, parsing, discovery, full text, per-feed state and schedule."""
