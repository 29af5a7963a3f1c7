"""Guards for personal data in transit, in one home: pages never cached, search input that
the database cannot take refused with a clear message, and a BSN never in a URL.

`PrivatePagesMiddleware`: every response to a signed-in user carries ``Cache-Control:
no-store, private`` (via Django's `add_never_cache_headers`). Nearly every page behind the
login shows personal data; marking them all is simpler and safer than a list that a new page
can be missing from. Static files are served before this middleware (WhiteNoise) and keep
their own caching.

`InvalidInputMiddleware`: a NUL byte (PostgreSQL refuses it in text), or a lone surrogate, in
any query parameter or form field gives a Dutch 400 page instead of a 500 from deep inside a
search. It covers every search field at once, the admin's included.

`looks_like_bsn` and `mask_digits`: the rule for when a search is a BSN search (it then
belongs in a POST body, not in a URL), and how a searched number is written into the audit
trail (never in clear)."""

import re

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

# A search with this many digits may be (part of) a BSN.
BSN_SEARCH_DIGITS = 4
FORM_CONTENT = "application/x-www-form-urlencoded"
_DIGIT_RUN = re.compile(rf"\d{{{BSN_SEARCH_DIGITS},}}")
_INVALID = re.compile("[\x00\ud800-\udfff]")


def looks_like_bsn(text: str) -> bool:
    return sum(ch.isdigit() for ch in text or "") >= BSN_SEARCH_DIGITS


def mask_digits(text: str) -> str:
    """`text` with every run of four or more digits masked but its last two ('*******90'):
    enough to tell two searches apart in the audit trail, never a whole BSN or IBAN."""
    return _DIGIT_RUN.sub(lambda m: "*" * (len(m.group()) - 2) + m.group()[-2:], text or "")


def has_invalid_characters(text: str) -> bool:
    return bool(_INVALID.search(text))


def _invalid(querydict) -> bool:
    return any(
        has_invalid_characters(key) or any(has_invalid_characters(v) for v in values)
        for key, values in querydict.lists()
    )


class InvalidInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only url-encoded forms: reading a multipart body here would fix its upload handlers
        # before the view could choose them.
        form = request.method == "POST" and request.content_type == FORM_CONTENT
        if _invalid(request.GET) or (form and _invalid(request.POST)):
            return render(
                request,
                "core/invalid_input.html",
                {
                    "message": _(
                        "Your search or input holds a character that is not allowed (for "
                        "example a null character or half a character). Remove that character "
                        "and try again."
                    )
                },
                status=400,
            )
        return self.get_response(request)


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, private, ...
        return response
