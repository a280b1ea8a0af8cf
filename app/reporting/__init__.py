"""Workflow B: activity reporting (consolidation, indicators, checks, sizes, summaries, targets, milestones)."""
