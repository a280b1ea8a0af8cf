"""Workflow A: consultant assessment (qualification, references, scoring, stages, tabs, overview)."""
