"""Template filters of the monitor: suppressed counts, percentages and euros."""

from django import template

from ontzorg.plans.services import euro as format_euro

register = template.Library()


@register.filter
def count(value):
    """A count, or '<5' where a small group is suppressed (None)."""
    return "<5" if value is None else value


@register.filter
def percent(value):
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


@register.filter
def euro(cents):
    return "—" if cents is None else format_euro(int(cents))
