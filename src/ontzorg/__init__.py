"""Ontzorg: financieel ontzorgen van statushouders."""
