"""Moving a participant to another phase: the one place that writes `phase` after intake.

Returns the change as audit data, so the calling service records it with its own event.
(The transition table and what follows a move are issue 10's lifecycle; they belong here.)"""

from .models import Participant


def set_phase(participant: Participant, phase: str) -> dict:
    """Store `phase`; {} when it was already so, else {"fase": [before, after]}."""
    before = participant.phase
    if before == phase:
        return {}
    participant.phase = phase
    participant.save(update_fields=["phase", "updated_at"])
    return {"fase": [before, phase]}
