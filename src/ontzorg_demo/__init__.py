"""Demo data for `make run`: the six pilot regions, their users and fictional participants.

A Django app of its own, outside the production package and installed only by the dev
settings (``ontzorg.conf.dev``): `manage.py load_demo` loads it, `manage.py demo_logins`
prints the logins. Production code never imports it."""
