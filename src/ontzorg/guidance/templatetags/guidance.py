"""Template filters of the guidance pages."""

from django import template

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes as Dutch decimal hours, e.g. 285 -> "4,8"."""
    return f"{(minutes or 0) / 60:.1f}".replace(".", ",")
