"""Pages of the participant's personal page (/mijn/): the DigiD login (mock or real SAML), the
overview, the language switch and logout. Every page is open to the staff login middleware
(`access.public`): the portal checks its own session (`services.current`), never a staff user.
Each page renders in the participant's chosen language, activated here explicitly."""

from datetime import date
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_protect

from ontzorg.core import access
from ontzorg.core.languages import PARTICIPANT_LANGUAGES, text_direction

from . import services


def _render(request, template: str, context: dict, *, code: str | None = None, status=200):
    code = code or services.language(request)
    with translation.override(code):
        return render(
            request,
            template,
            {
                **context,
                "lang": code,
                "dir": text_direction(code),
                "languages": PARTICIPANT_LANGUAGES,
            },
            status=status,
        )


def _staff_refusal(request):
    """A staff login in this browser: never a participant's session."""
    return _render(
        request, "portal/staff_session.html", {}, code=settings.LANGUAGE_CODE, status=403
    )


@access.public
def start(request):
    if request.user.is_authenticated:
        return _staff_refusal(request)
    if services.current(request) is not None:
        return redirect("portal:overview")
    return _render(request, "portal/start.html", {})


@access.public
def digid_login(request):
    """Off to DigiD: the mock page in development and tests, the real SAML request otherwise."""
    if request.user.is_authenticated:
        return _staff_refusal(request)
    acs = request.build_absolute_uri(reverse("portal:acs"))
    back = request.build_absolute_uri(reverse("portal:start"))
    if settings.ONTZORG_DIGID_MOCK:
        query = urlencode({"acs": acs, "next": back, "cancel": back})
        return HttpResponseRedirect(f"{reverse('digid-mock:login')}?{query}")
    return _real_login(request)


def _real_login(request):
    from digid_eherkenning.views.digid import DigiDLoginView

    class Login(DigiDLoginView):
        def get_relay_state(self):
            return reverse("portal:overview")

    response = Login.as_view()(request)
    response.render()
    # The SAML request is a form posted to DigiD's address: allow that one form target.
    target = urlparse(response.context_data["url"])
    response._csp_update = {"form-action": [f"{target.scheme}://{target.netloc}"]}
    return response


def _bsn_from_digid(request) -> str:
    """The BSN DigiD returned: from the mock page's redirect in development and tests, from the
    SAML artifact otherwise (DigiD step 6/7, artifact resolution)."""
    if settings.ONTZORG_DIGID_MOCK:
        return (request.GET.get("bsn") or "").strip()
    from digid_eherkenning.choices import SectorType
    from digid_eherkenning.saml2.digid import DigiDClient
    from onelogin.saml2.utils import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError

    artifact = request.GET.get("SAMLart")
    if not artifact:
        return ""
    try:
        name_id = DigiDClient().artifact_resolve(request, artifact).get_nameid()
    except (OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError):
        return ""
    sector, _, number = name_id.partition(":")
    return number if sector == SectorType.bsn else ""


@access.public
def acs(request):
    """DigiD's answer (Assertion Consumer Service): the BSN mapped to the participant."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if request.user.is_authenticated:
        services.log_in(request, "")  # audited as refused: a staff session
        return _staff_refusal(request)
    participant = services.log_in(request, _bsn_from_digid(request))
    if participant is None:
        return _render(request, "portal/nothing.html", {}, code=settings.LANGUAGE_CODE)
    return redirect("portal:overview")


def _month_of(value: str | None) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (AttributeError, TypeError, ValueError):
        return None


@access.public
def overview(request, month: str | None = None):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if request.user.is_authenticated:
        return _staff_refusal(request)
    participant = services.current(request)
    if participant is None:
        return redirect("portal:start")
    months = services.months(participant)
    chosen = _month_of(month) if month else (months[0] if months else None)
    if month and chosen not in months:
        raise Http404
    services.record_view(participant, f"overzicht {chosen:%Y-%m}" if chosen else "overzicht")
    return _render(
        request,
        "portal/overview.html",
        {
            "participant": participant,
            "months": months,
            "month": chosen,
            "overview": services.overview(participant, chosen) if chosen else None,
            "appointments": services.appointments(participant),
            "measurements": services.planned_measurements(participant),
            "moment_labels": services.MOMENT_LABELS,
            "self_done": services.self_done(participant),
        },
    )


@access.public
@csrf_protect
def choose_language(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated:
        return _staff_refusal(request)
    if services.current(request) is None:
        return redirect("portal:start")
    services.set_language(request, request.POST.get("language", ""))
    back = request.POST.get("month")
    if _month_of(back):
        return redirect("portal:overview_month", month=back)
    return redirect("portal:overview")


@access.public
@csrf_protect
def logout(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated:
        return _staff_refusal(request)
    code = services.language(request)
    services.log_out(request, services.current(request))
    return _render(request, "portal/logged_out.html", {}, code=code)
