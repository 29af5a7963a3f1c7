"""Four eyes on every money decision: a change is a *proposal* until a second user approves it."""
