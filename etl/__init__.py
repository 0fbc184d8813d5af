"""Kokemus ETL: readers -> layout detection -> normalise -> validate -> load.

The public entry point is :func:`etl.pipeline.import_files`; the CLI (``python -m etl``)
and the upload page both call it, so there is one code path into the warehouse.
"""
