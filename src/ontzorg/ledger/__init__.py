"""Double-entry ledger: accounts per participant and region, append-only transactions."""
