"""Append-only audit trail of every view and change of personal and financial data."""
