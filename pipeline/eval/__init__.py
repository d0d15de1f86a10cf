"""Evaluation harnesses: quality of extraction and dedup against labelled sets."""
