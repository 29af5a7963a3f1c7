"""Monitor: frozen snapshots, the pseudonymised evaluator export and the dashboards."""
