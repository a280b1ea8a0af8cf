"""Benchmarks: run with `make bench` (they need the test extras for the fake Google server)."""
