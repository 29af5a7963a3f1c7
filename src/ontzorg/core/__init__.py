"""Rules more than one app needs, each with exactly one home.

access      may this user see or change this object (one scope rule per role, one superuser rule)
context     the acting user, request id and client IP of the current request
money       the euro formatter
dates       month arithmetic, the age rule and a trajectory's dates
appendonly  append-only tables: model base and the migration operation that installs triggers
"""
