"""Local-first lakehouse replica of an AWS retail-analytics star-schema pipeline."""

__version__ = "0.1.0"
