"""The main menu. Apps add their own items with `register(MenuItem(...))` in AppConfig.ready().

base.html renders `{% main_menu %}` (participants/templatetags/navigation.py). An item is
shown only when the page's own access declaration (core.access.view) lets the user in, so a
menu never offers a page the user would get a 403 on; `visible` can narrow it further (a
page that would be empty for the user)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.constants import Scope
from ontzorg.core import access


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    order: int = 50
    visible: Callable = lambda user: True


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    current: bool


_items: dict[str, MenuItem] = {}


def register(item: MenuItem) -> None:
    """Add or replace (by url name) a menu item; registering twice is harmless."""
    _items[item.url_name] = item


def links_for(request) -> list[MenuLink]:
    """The visible items in order; the one whose URL is the longest prefix of the path
    is current, so /deelnemers/loting/ marks Loting and not Deelnemers."""
    user = request.user
    found = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.label)):
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        rule = getattr(resolve(url).func, "access", None)
        if rule is not None and not rule.opens_for(user):
            continue
        found.append((item, url))
    path = request.path
    matching = [url for _, url in found if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [MenuLink(item.label, url, url == current) for item, url in found]


def _has_participant_scope(user) -> bool:
    return access.scope_of(user) != Scope.NONE


def _may_draw(user) -> bool:
    from ontzorg.participants.services import random_regelingen_for

    return random_regelingen_for(user).exists()


register(MenuItem(_("Overview"), "dashboard", order=0))
register(MenuItem(_("Participants"), "participants:list", order=10, visible=_has_participant_scope))
register(MenuItem(_("Random draw"), "participants:selection", order=20, visible=_may_draw))
# Shown only to who may open it (its access declaration: letters.batch.RIGHTS).
register(MenuItem(_("Region PDFs"), "letters:batches", order=50))
register(MenuItem(_("Administration"), "admin:index", order=90, visible=lambda user: user.is_staff))
