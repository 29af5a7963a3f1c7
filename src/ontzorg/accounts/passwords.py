"""Password rules: Django's validators, with Dutch messages where Django's own Dutch
translation lacks the wording of Django 5.2 (the minimum length)."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least `min_length` characters (settings: 12)."""

    def get_error_message(self):
        return _(
            "This password is too short. It must contain at least %(min_length)d characters."
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Your password must contain at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }
