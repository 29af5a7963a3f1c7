"""Begeleiding."""
