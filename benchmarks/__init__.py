"""Performance benchmarks for the course (run on demand: ``python -m benchmarks``; see
BENCHMARKS.md). Every figure is set against a floor measured in the same run. pytest never runs
these; tests/test_benchmarks.py only checks the table code on fake numbers."""
