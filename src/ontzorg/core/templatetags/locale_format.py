"""``{% load locale_format %}``: money, dates and months in the active (participant) language.

Use these in participant-facing templates rendered inside ``translation.override(language)``;
staff pages keep ``{% load money %}`` and ``|date:"j F Y"``, which are Dutch.
"""

from django import template

from ontzorg.core import i18n

register = template.Library()


@register.filter
def local_money(cents):
    """Integer cents as euros in the active language: ``{{ 123456|local_money }}``."""
    return i18n.local_money(cents)


@register.filter
def local_date(day):
    """A date as a long date in the active language: ``{{ plan.start_on|local_date }}``."""
    return i18n.local_date(day)


@register.filter
def local_month(day):
    """Month and year in the active language: ``{{ month|local_month }}`` (``مارس 2026``)."""
    return i18n.local_month(day)
