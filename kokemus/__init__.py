"""Kokemus shared core: configuration, the warehouse, metric queries and charts.

Kept apart from ``etl`` (which writes) and ``pages`` (which only lay out) so both sides
depend on one definition of paths, schema and measures.
"""
