"""Template tags of the privacy app: whether the user may produce an inzage."""

from django import template

from ontzorg.privacy import inzage

register = template.Library()


@register.simple_tag
def may_produce_inzage(user) -> bool:
    return inzage.may_produce(user)
