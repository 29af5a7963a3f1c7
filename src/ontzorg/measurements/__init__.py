"""Zelfredzaamheidsmetingen."""
