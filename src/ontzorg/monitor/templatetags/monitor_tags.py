"""Template filters of the monitor: suppressed counts and percentages (euros: ``money``)."""

from django import template

register = template.Library()


@register.filter
def count(value):
    """A count, or '<5' where a small group is suppressed (None)."""
    return "<5" if value is None else value


@register.filter
def percent(value):
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")
