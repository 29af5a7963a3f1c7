"""Vroegsignalering."""
