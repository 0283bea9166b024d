"""Benchmarks that print figures (``duban bench …``). Speed goals live here, never in timed tests."""
