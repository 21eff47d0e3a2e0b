"""The DuckDB event store: migrations, rows, writes, deduplication and read queries. Imports nothing above it."""
