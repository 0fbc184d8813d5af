"""Normalisation: cell values -> canonical values; redaction and theme tagging of a frame."""
