"""Template filters for money in plan pages."""

from django import template

from ontzorg.plans.services import euro as format_euro

register = template.Library()


@register.filter
def euro(cents):
    """Integer cents as Dutch euros: 123456 -> € 1.234,56."""
    if cents is None or cents == "":
        return "-"
    return format_euro(int(cents))
