"""``{% load money %}``: the euro filter every template uses."""

from django import template

from ontzorg.core.money import euro as format_euro

register = template.Library()


@register.filter
def euro(cents):
    """Integer cents as Dutch euros: ``{{ 123456|euro }}`` -> € 1.234,56 (None -> "-")."""
    return format_euro(cents)
