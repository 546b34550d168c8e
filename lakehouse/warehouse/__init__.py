"""The warehouse side: DDL from the schema source, loads from the curated zone, checks, marts."""
