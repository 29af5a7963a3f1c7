"""Helpers of the benchmarks in bench/: they build large data sets with the models of
the application. Never imported by the application itself."""
