"""Domain exceptions that services raise when they refuse an action."""

from django.core.exceptions import PermissionDenied


class Refused(Exception):
    """A business rule refuses the action; the message (translated, Dutch on staff pages) is
    shown to the user."""


__all__ = ["PermissionDenied", "Refused"]
