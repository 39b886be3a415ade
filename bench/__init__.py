"""Benchmarks of the ETL and the dashboard on synthetic data.

``bench.generate`` writes seeded, reproducible synthetic reports (every file marked as such) with
a manifest of the truth per file; ``bench.run`` measures extraction throughput, ingest time,
memory, database size and the dashboard's query latency, and writes ``bench/results/``.
"""
