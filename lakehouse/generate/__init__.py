"""Synthetic, reproducible source data for the pipeline, with optional bad rows of every kind.

``generate_dataset(out_dir, GeneratorSpec(...))`` writes the four entities' CSV files in the format
of CONTRACT.md section 1 and returns a ``GenerationSummary`` of what it wrote. Bad rows replace
good ones; ``DEFECT_KINDS`` says what each kind looks like and what the pipeline must do with it.
"""

from lakehouse.generate.defect_kinds import DEFECT_KINDS, DefectKind, Outcome, list_defect_kinds
from lakehouse.generate.generate_dataset import generate_dataset, list_output_paths
from lakehouse.generate.spec import GenerationSummary, GeneratorSpec

__all__ = [
    "DEFECT_KINDS",
    "DefectKind",
    "GenerationSummary",
    "GeneratorSpec",
    "Outcome",
    "generate_dataset",
    "list_defect_kinds",
    "list_output_paths",
]
