"""Business actions on signals: receiving (API, CSV, internal), matching, routing, follow-up.

Every function is one transaction and writes the audit trail; views, the API, the admin and
management commands call these and hold no rules of their own."""

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access, context
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Region

from . import events
from .constants import DUE_WORKING_DAYS, INTERNAL_KINDS, TRANSITIONS, RouteTarget, Source, Status
from .models import ApiClient, ApiRequestCount, Signal, SignalRoute, StatusChange
from .querysets import FOLLOW_UP_RIGHTS, handles_queue
from .report import Report, ReportInvalid, normalise_house_number, normalise_postcode
from .workdays import add_working_days

TOKEN_PREFIX_LENGTH = 8
# How much of a refused token's SHA-256 the audit trail keeps: enough to tell attempts with
# the same token apart from others, too little to be of any use to a reader of the trail.
REFUSED_TOKEN_HASH_CHARS = 16
AFTER_END_PHASES = (Phase.NAZORG, Phase.ENDED)

logger = logging.getLogger(__name__)


class ReferenceConflict(Refused):
    """A client re-used a reference for a different report."""


class RegionRefused(Refused):
    """The client may not report for the region it names, or has no region at all."""


# --- API clients and tokens -------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    while True:
        token = secrets.token_urlsafe(32)
        prefix = token[:TOKEN_PREFIX_LENGTH]
        if not ApiClient.objects.filter(token_prefix=prefix).exists():
            return token, prefix


@transaction.atomic
def create_api_client(actor, *, name, creditor_kind, regions):
    """A new client and its token. The token is returned once and never stored."""
    token, prefix = _new_token()
    client = ApiClient.objects.create(
        name=name, creditor_kind=creditor_kind, token_prefix=prefix, token_hash=hash_token(token)
    )
    client.regions.set(regions)
    audit.record(actor, events.API_CLIENT_CREATED, client, name=name)
    return client, token


@transaction.atomic
def rotate_token(actor, client: ApiClient) -> str:
    """A new token for `client`; the old one stops working at once."""
    token, prefix = _new_token()
    ApiClient.objects.filter(pk=client.pk).update(token_prefix=prefix, token_hash=hash_token(token))
    client.refresh_from_db()
    audit.record(actor, events.API_TOKEN_ROTATED, client, name=client.name)
    return token


def authenticate(authorization: str) -> ApiClient | None:
    """The active client whose token is in the `Authorization: Bearer <token>` header.

    A refusal is logged and audited with the client address (from the request context), the
    client the token's prefix belongs to if any, and the start of the token's hash: never
    the token itself, which may be a real one with a typo."""
    scheme, _sep, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or len(token) <= TOKEN_PREFIX_LENGTH:
        _refuse_token(_("no token or no Bearer token"), token, None)
        return None
    client = ApiClient.objects.filter(token_prefix=token[:TOKEN_PREFIX_LENGTH]).first()
    # Compare even when no client has this prefix, so timing does not tell prefixes apart.
    stored = client.token_hash if client else "0" * 64
    if not hmac.compare_digest(stored, hash_token(token)) or not client:
        _refuse_token(_("unknown or wrong token"), token, client)
        return None
    if not client.is_active:
        _refuse_token(_("token of a deactivated API client"), token, client)
        return None
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def refused_token_mark(token: str) -> str:
    """What the log and audit trail keep of a refused token: a prefix of an HMAC under the
    site's secret key, enough to tell repeated attempts apart. Not a plain hash: a client
    that sends a password or another low-entropy secret by mistake must not have it guessed
    back from the trail."""
    if not token:
        return "-"
    mark = hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()
    return mark[:REFUSED_TOKEN_HASH_CHARS]


def _refuse_token(reason: str, token: str, client: ApiClient | None) -> None:
    token_mark = refused_token_mark(token)
    logger.warning(
        "API token refused: %s; token mark %s; client %s; address %s",
        reason,
        token_mark,
        client.pk if client else "-",
        context.current().ip_address or "-",
    )
    audit.record(
        None,
        events.API_TOKEN_REFUSED,
        client,
        object_type="" if client else "signals.ApiClient",
        reason=reason,
        token_mark=token_mark,
    )


def count_request(client: ApiClient, *, now=None) -> int:
    """Count one request of `client` against ONTZORG_API_RATE_PER_MINUTE: the seconds until
    it may send again when it is over the limit, else 0.

    The count lives in one database row per client, so several WSGI workers share it; the
    increment is a single UPDATE, which the database serialises."""
    now = now or timezone.now()
    window = now.replace(second=0, microsecond=0)
    with transaction.atomic():
        ApiRequestCount.objects.bulk_create(
            [ApiRequestCount(client=client, window_start=window, count=0)], ignore_conflicts=True
        )
        # Both right-hand sides read the row as it was, so a new minute starts at 1. A
        # request stamped in an earlier minute that commits late counts in the newer minute
        # and never moves the window back (which would start the count again).
        ApiRequestCount.objects.filter(client=client).update(
            count=Case(When(window_start__gte=window, then=F("count") + 1), default=Value(1)),
            window_start=Greatest(F("window_start"), Value(window, output_field=DateTimeField())),
        )
        count = ApiRequestCount.objects.values_list("count", flat=True).get(client=client)
    if count <= settings.ONTZORG_API_RATE_PER_MINUTE:
        return 0
    return 60 - now.second


def region_for_client(client: ApiClient, slug: str | None) -> Region:
    """The region a report is for: the client's only region, or the one it names."""
    regions = list(client.regions.all())
    if not regions:
        raise RegionRefused(_("This API client has no region; contact the municipality."))
    if slug:
        for region in regions:
            if region.slug == slug:
                return region
        raise RegionRefused(_("This API client may not report for region %s.") % slug)
    if len(regions) == 1:
        return regions[0]
    choices = ", ".join(r.slug for r in regions)
    raise ReportInvalid({"regio": [_("Required for this API client; choose from %s.") % choices]})


# --- matching and routing ---------------------------------------------------------------


def find_participant(report: Report, candidates) -> Participant | None:
    """By BSN when one is given; otherwise by postcode, house number and date of birth.

    A BSN that matches nobody is not second-guessed by the address, and an address that
    fits two people (twins) matches neither: a wrong match is worse than the queue."""
    if report.bsn:
        return candidates.filter(bsn=report.bsn).first()
    same_birthday = candidates.filter(date_of_birth=report.date_of_birth).select_related(
        "household"
    )
    found = [
        p
        for p in same_birthday
        if normalise_postcode(p.household.postcode) == report.postcode
        and normalise_house_number(p.household.house_number) == report.house_number
    ]
    return found[0] if len(found) == 1 else None


def _due_on(status: str, day):
    days = DUE_WORKING_DAYS.get(status)
    return add_working_days(day, days) if days else None


def route_for(region_id, creditor_kind: str) -> SignalRoute | None:
    """The region's route for signals of this kind of creditor; None: the default."""
    if not creditor_kind:
        return None
    return SignalRoute.objects.filter(region_id=region_id, creditor_kind=creditor_kind).first()


def _attach(signal: Signal, participant: Participant) -> None:
    """Link and route. By default to the case worker (the coach if there is none) and to
    the guidance organisation; a region may route a kind of creditor (``SignalRoute``) to
    the case worker or the guidance organisation alone, or to its debt counsellor. After
    the ontzorg period it still goes to the former case worker/coach."""
    signal.participant = participant
    signal.region_id = participant.regeling.region_id
    signal.matched_at = timezone.now()
    signal.after_end = participant.phase in AFTER_END_PHASES
    route = route_for(signal.region_id, signal.creditor_kind)
    target = route.target if route else RouteTarget.CASE_WORKER_AND_GUIDANCE
    person = participant.case_worker_id or participant.coach_id
    assigned = {
        RouteTarget.CASE_WORKER_AND_GUIDANCE: (person, participant.guidance_organisation_id),
        RouteTarget.CASE_WORKER: (person, None),
        RouteTarget.GUIDANCE: (participant.coach_id, participant.guidance_organisation_id),
        RouteTarget.DEBT_COUNSELLOR: (None, route.debt_counsellor_id if route else None),
    }
    signal.route = target
    signal.assigned_to_id, signal.assigned_organisation_id = assigned[target]


def _create(*, report: Report | None, participant, actor, event, creditor="", **fields):
    signal = Signal(status=Status.NEW, **fields)
    if report is not None:
        signal.kind = report.kind
        signal.reported_on = report.reported_on
        signal.amount_cents = report.amount_cents
        signal.months_in_arrears = report.months_in_arrears
        signal.reference = report.reference
        signal.note = report.note
        signal.bsn = report.bsn
        signal.postcode = report.postcode
        signal.house_number = report.house_number
        signal.date_of_birth = report.date_of_birth
        signal.name = report.name
    if participant is not None:
        _attach(signal, participant)
    signal.due_on = _due_on(Status.NEW, timezone.localdate(signal.received_at))
    signal.save()
    StatusChange.objects.create(
        signal=signal, to_status=Status.NEW, due_on=signal.due_on, changed_by=actor
    )
    routed = _("in the queue")
    if participant:
        routed = _("matched to the participant, to: %(target)s") % {
            "target": signal.get_route_display()
        }
    audit.record(actor, event, signal, participant=participant, creditor=creditor, routed=routed)
    return signal


# --- intake -----------------------------------------------------------------------------


@transaction.atomic
def receive_from_api(client: ApiClient, report: Report, region: Region):
    """Store a client's report once per reference: `(signal, created)`.

    Re-posting the same reference returns the stored signal; re-using it for a different
    report raises ReferenceConflict. The insert is insert-or-nothing on the unique key, so
    re-posts that arrive at the same moment get the same answer as one after the other."""
    key = hashlib.sha256(f"api\x1f{client.pk}\x1f{report.reference}".encode()).hexdigest()
    content = report.fingerprint(f"api:{client.pk}:{region.pk}")
    existing = Signal.objects.filter(idempotency_key=key).first()
    if existing is None:
        participant = find_participant(
            report, Participant.objects.filter(regeling__region=region).select_related("regeling")
        )
        try:
            with transaction.atomic():
                signal = _create(
                    report=report,
                    participant=participant,
                    actor=None,
                    event=events.RECEIVED_API,
                    creditor=client.name,
                    source=Source.API,
                    client=client,
                    creditor_name=client.name,
                    creditor_kind=client.creditor_kind,
                    region=region,
                    idempotency_key=key,
                    content_hash=content,
                )
            return signal, True
        except IntegrityError:
            # Another request stored this key between our look and our insert (PostgreSQL
            # lets us wait for it to commit); answer as if we had come second.
            existing = Signal.objects.filter(idempotency_key=key).first()
            if existing is None:
                raise
    if existing.content_hash != content:
        raise ReferenceConflict(
            _("Reference %s is already used for another report.") % report.reference
        )
    return existing, False


def upload_regions(user):
    """The regions `user` may read signals in for: their own, or all for scope 'all'."""
    regions = access.region_ids(user)
    return Region.objects.all() if regions is None else Region.objects.filter(pk__in=regions)


@transaction.atomic
def raise_internal(kind, participant, text, amount_cents=None, *, reference=""):
    """A signal from Ontzorg itself (unconfirmed payment, unusual amount, negative balance).

    With a `reference` (such as the payment instruction's end-to-end id) raising the same
    signal again returns the first one, so a daily check can call this every day."""
    if kind not in INTERNAL_KINDS:
        raise ValueError(f"{kind!r} is not an internal signal kind")
    key = None
    if reference:
        key = hashlib.sha256(f"internal\x1f{kind}\x1f{reference}".encode()).hexdigest()
        existing = Signal.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
    return _create(
        report=None,
        participant=participant,
        actor=None,
        event=events.RAISED_INTERNAL,
        source=Source.INTERNAL,
        kind=kind,
        reported_on=timezone.localdate(),
        amount_cents=amount_cents,
        note=text,
        reference=reference[:80],
        idempotency_key=key,
    )


# --- looking at and working on signals --------------------------------------------------


def may_handle(user) -> bool:
    """Who follows signals up: case workers, back office, coaches (for their participants)."""
    return access.may(user, *FOLLOW_UP_RIGHTS)


def view_queued(user, signal: Signal) -> None:
    """Looking at a signal in the queue is audited like looking at a participant's page."""
    audit.record(user, events.QUEUE_VIEWED, signal)


@transaction.atomic
def change_status(user, signal: Signal, to_status: str, note: str = ""):
    if not may_handle(user):
        raise PermissionDenied(_("Your role may not follow up signals."))
    locked = access.get_or_refuse(
        Signal.objects.visible_to(user).select_for_update(of=("self",)), user, pk=signal.pk
    )
    if to_status not in TRANSITIONS[locked.status]:
        raise Refused(
            _("A signal cannot go from '%(from)s' to '%(to)s'.")
            % {"from": Status(locked.status).label, "to": Status(to_status).label}
        )
    if locked.participant_id is None:
        # A queued signal about someone who is no participant may be closed, with the reason;
        # it stays stored, so nothing a creditor reported is ever lost.
        if to_status != Status.CLOSED:
            raise Refused(_("Match the signal to a participant first."))
        if not handles_queue(user):
            raise PermissionDenied(_("Your role may not handle the queue."))
        if not (note or "").strip():
            raise Refused(_("Say why the signal is closed without a participant."))
    before = audit.snapshot(locked, ["status", "due_on"])
    locked.status = to_status
    locked.due_on = _due_on(to_status, timezone.localdate())
    locked.save(update_fields=["status", "due_on", "updated_at"])
    StatusChange.objects.create(
        signal=locked,
        from_status=before["status"],
        to_status=to_status,
        note=(note or "").strip(),
        due_on=locked.due_on,
        changed_by=user,
    )
    audit.record_change(
        user,
        locked,
        before,
        participant=locked.participant,
        summary=f"signaal: {Status(to_status).label}",
    )
    return locked


def match_candidates(user, signal: Signal):
    """Participants in the signal's region the user may see who share the reported date of
    birth, postcode or name: suggestions for matching by hand."""
    people = Participant.objects.visible_to(user).select_related("household")
    if signal.region_id:
        people = people.filter(regeling__region_id=signal.region_id)
    hints = []
    if signal.date_of_birth:
        hints.append({"date_of_birth": signal.date_of_birth})
    if signal.postcode:
        compact = signal.postcode.replace(" ", "")
        hints += [{"household__postcode": signal.postcode}, {"household__postcode": compact}]
    words = [w for w in signal.name.replace(".", " ").split() if len(w) > 2]
    hints += [{"last_name__iexact": w} for w in words]
    if not hints:
        return people.none()
    query = Q()
    for hint in hints:
        query |= Q(**hint)
    return people.filter(query)[:10]


@transaction.atomic
def match_by_hand(user, signal: Signal, participant: Participant, note=""):
    """Link a queued signal to a participant; only roles that work the queue, audited."""
    if not handles_queue(user):
        raise PermissionDenied(_("Your role may not match signals."))
    locked = access.get_or_refuse(
        Signal.objects.visible_to(user).select_for_update(of=("self",)), user, pk=signal.pk
    )
    if locked.participant_id is not None:
        raise Refused(_("This signal is already matched."))
    person = Participant.objects.visible_to(user).select_related("regeling").get(pk=participant.pk)
    if locked.region_id and person.regeling.region_id != locked.region_id:
        raise Refused(_("The participant is not in this signal's region."))
    _attach(locked, person)
    locked.matched_by = user
    locked.save()
    note = (note or "").strip()
    if note:
        audit.record(user, events.MATCHED_BY_HAND_NOTE, locked, participant=person, note=note)
    else:
        audit.record(user, events.MATCHED_BY_HAND, locked, participant=person)
    return locked
