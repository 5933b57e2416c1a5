"""Benchmarks: `python -m benchmarks [--scale small|full] [--database-url URL]` (`make bench`).

Each figure is printed beside a bare baseline measured in the same run on the same database,
as a ratio: the ratio travels between machines, a raw figure does not. Speed goals live here,
never in timed tests; a missed goal is reported, not failed.
"""
