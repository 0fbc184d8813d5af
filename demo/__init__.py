"""Demo data generators: files a fictional wellbeing area would send, imported through the
real ETL by ``python -m etl demo``. Not part of the ETL itself."""
