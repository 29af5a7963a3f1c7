"""Households, participants, intake, eligibility and selection."""
