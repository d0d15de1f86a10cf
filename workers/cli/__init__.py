"""The `newsmon` command line: the Typer app and its command groups."""
