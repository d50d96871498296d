"""Benchmarks for learnbot: search relevance, search latency and /learn over HTTP.

Run them with `make bench` or `python -m bench [NAME ...] [--quick]`. Each prints a table and writes its
figures to `bench/results/<name>.json`. Nothing here asserts on timings; the figures are for people to read.
"""
