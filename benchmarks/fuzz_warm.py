"""Preloaded by the fuzz harness's parse fork server (benchmarks/fuzz_import.py): the
lemmatiser's Finnish dictionary, loaded once and frozen so forked workers share it."""
import gc

from etl.detect.unit_names import lemma

lemma("osastolla")
gc.freeze()
