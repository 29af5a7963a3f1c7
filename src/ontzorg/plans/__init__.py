"""Ontzorg plans: creditors, a participant's plan of fixed costs (dated), machtigingen, income."""
