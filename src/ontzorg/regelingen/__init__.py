"""Per-region configuration: package, mode, duration, eligibility, instruments, trainings."""
