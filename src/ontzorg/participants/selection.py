"""Random selection out of a pool of candidates, reproducible from its seed. Pure."""

import random
import secrets


def new_seed() -> int:
    return secrets.randbits(62)


def draw(candidate_ids: list[int], size: int, seed: int) -> list[int]:
    """The same pool (in any order), size and seed always give the same selection."""
    pool = sorted(set(candidate_ids))
    if size > len(pool):
        raise ValueError(f"Cannot draw {size} out of {len(pool)} candidates.")
    return sorted(random.Random(seed).sample(pool, size))
