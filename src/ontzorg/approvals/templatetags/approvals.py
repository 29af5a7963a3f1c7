"""``{% load approvals %}``: whether the user may decide on proposals (for links only; the
service decides)."""

from django import template

from ontzorg.core import access

from ..constants import APPROVE_RIGHT

register = template.Library()


@register.filter
def may_approve(user) -> bool:
    return access.may(user, APPROVE_RIGHT)
