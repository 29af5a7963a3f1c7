"""Template filters of the guidance pages."""

from django import template

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes as Dutch decimal hours, e.g. 285 -> "4,8"."""
    return f"{(minutes or 0) / 60:.1f}".replace(".", ",")


@register.filter
def euros(cents) -> str:
    """Cents as a Dutch amount, e.g. 2450 -> "€ 24,50"."""
    whole, rest = divmod(int(cents or 0), 100)
    return f"€ {whole:,}".replace(",", ".") + f",{rest:02d}"
