"""End of a trajectory: evaluation and decisions, phase-out (afbouw), nazorg, timeline."""
