"""Storing: one transaction per file into DuckDB, the archive of originals, retagging."""
