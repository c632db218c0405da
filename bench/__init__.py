"""Benchmarks and the scale-data generator. Speed targets live here, never in timed tests."""
