"""Imported by the parse fork server (:data:`etl.sandbox.PRELOAD`), once per server: the
lemmatiser that unit detection uses (simplemma over the memory-mapped word tables of
:mod:`etl.themes.lemma_store`) is loaded here, so every worker forked for an upload inherits
it instead of importing and opening it again; the heap is then frozen so the workers'
garbage collector leaves the inherited objects (and their pages) alone."""
import gc

from etl.detect.unit_names import lemma

lemma("osastolla")
gc.freeze()
