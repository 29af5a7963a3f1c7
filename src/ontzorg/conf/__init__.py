"""Settings: base.py reads the environment; dev.py and ci.py adjust it."""
