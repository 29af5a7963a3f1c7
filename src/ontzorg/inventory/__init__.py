"""Intake inventory: debts (dated amounts), assets with the asset-limit check, and the facts of
the duaal traject (inburgering route, PIP date, language level), all as dated records."""
