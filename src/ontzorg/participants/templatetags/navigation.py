"""`{% main_menu as links %}`: the main menu for the current user (see ontzorg.navigation)."""

from django import template

from ontzorg import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return navigation.links_for(request)
