"""The bi-monthly management review pack: figures (:mod:`.data`), then the same content
as PDF (:mod:`.pdf`), XLSX (:mod:`.xlsx`) and printable HTML (:mod:`.html`)."""
from kokemus.report.data import LEVELS, ReportData, build, default_period, parse_period

__all__ = ["LEVELS", "ReportData", "build", "default_period", "parse_period"]
