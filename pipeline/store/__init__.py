"""SQL storage: table mappings, the engine, migrations and repositories."""
