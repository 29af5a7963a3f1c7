"""May this user see or change this object: the one home of scoping and rights.

One rule per role scope (all regions / own region / own municipality / own organisation /
none), one superuser rule (a superuser sees and may everything), and every model that holds
personal or regional data declares its path to the region and, for participant data, to the
municipality and the guidance organisation::

    class Plan(models.Model):
        scope_path = ScopePath.via_participant("participant")

Lists use `restrict(Model.objects..., user)`, single objects `get_or_404` (pages) or
`get_or_refuse` (services), rights `may`/`require`. Views declare what they need with
`@view(...)`; the URL-walk test refuses a view that does not.
"""

import functools
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.exceptions import PermissionDenied


class Scope(models.TextChoices):
    """Which participants a role may see at all."""

    ALL = "all", gettext_lazy("all regions")
    REGION = "region", gettext_lazy("own region")
    MUNICIPALITY = (
        "municipality",
        gettext_lazy("own municipality (in a region of several municipalities)"),
    )
    ORGANISATION = "organisation", gettext_lazy("participants assigned to the user's organisation")
    NONE = "none", gettext_lazy("no participants (anonymised data only)")


# Called as listener(user, participant, what) when a personal page is shown; the audit app
# subscribes in its AppConfig.ready, so this module needs no audit import.
view_listeners: list = []


@dataclass(frozen=True)
class ScopePath:
    """How to reach a model's region, municipality and guidance organisation from the model.

    `region`: lookup of the region id ("pk" for the Region model). `organisation`: lookup of
    the organisation that guides it, `municipality`: of the participant's municipality (None:
    roles scoped to an organisation or a municipality see none of it). `rights`: the model is
    visible only to users with at least one of these rights. `participant`: the path to the
    participant the object is about ("" for a participant), for the audit of a page view."""

    region: str
    organisation: str | None = None
    rights: tuple[str, ...] = ()
    municipality: str | None = None
    participant: str | None = None

    def participant_of(self, obj):
        """The participant `obj` is about (itself for a participant), or None."""
        if self.participant is None:
            return None
        for name in filter(None, self.participant.split("__")):
            obj = getattr(obj, name, None)
        return obj

    @classmethod
    def via_participant(cls, path: str = "participant", *, rights: tuple[str, ...] = ()):
        prefix = f"{path}__" if path else ""
        return cls(
            region=f"{prefix}regeling__region",
            organisation=f"{prefix}guidance_organisation",
            rights=rights,
            municipality=f"{prefix}household__municipality",
            participant=path,
        )


def is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def may(user, *rights: str) -> bool:
    """Whether `user` has at least one of `rights` (a superuser has them all)."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    role = getattr(user, "role", None)
    return bool(role and any(getattr(role, right) for right in rights))


def require(user, *rights: str) -> None:
    if not may(user, *rights):
        raise PermissionDenied(_("Your role may not do this."))


def scope_of(user) -> str:
    """The user's scope; a superuser's is ALL, an inactive or role-less user's NONE.

    A role scoped to its region is narrowed to the user's municipality when the region
    says its staff see only their own municipality (``Region.staff_limited_to_municipality``)
    and the user's organisation belongs to one municipality."""
    if not is_active(user):
        return Scope.NONE
    if user.is_superuser:
        return Scope.ALL
    role = getattr(user, "role", None)
    if role is None:
        return Scope.NONE
    if role.scope == Scope.REGION and limited_to_municipality(user):
        return Scope.MUNICIPALITY
    return role.scope


def limited_to_municipality(user) -> bool:
    """Whether the region of `user`'s organisation limits its staff to their municipality
    and the organisation belongs to one."""
    organisation = getattr(user, "organisation", None)
    return bool(
        organisation is not None
        and organisation.municipality_id
        and organisation.region_id
        and organisation.region.staff_limited_to_municipality
    )


def region_wide_ids(user) -> list[int] | None:
    """The regions whose region-wide work `user` sees (payment runs, the bank queue,
    unmatched reports): None for all, [] for none. Staff limited to a municipality or an
    organisation see only their participants, so none of it."""
    scope = scope_of(user)
    if scope == Scope.ALL:
        return None
    return region_ids(user) if scope == Scope.REGION else []


def region_ids(user) -> list[int] | None:
    """The regions `user` works in: None for all, [] for none."""
    scope = scope_of(user)
    if scope == Scope.ALL:
        return None
    if scope in (Scope.REGION, Scope.MUNICIPALITY, Scope.ORGANISATION):
        organisation = user.organisation
        if organisation is not None and organisation.region_id:
            return [organisation.region_id]
    return []


def scope_q(model, user) -> Q | None:
    """The filter that leaves what `user` may see of `model`; None means everything."""
    path: ScopePath = model.scope_path
    if path.rights and not may(user, *path.rights):
        return Q(pk__in=[])
    scope = scope_of(user)
    if scope == Scope.ALL:
        return None
    if scope == Scope.REGION:
        regions = region_ids(user)
        if regions:
            lookup = "pk" if path.region == "pk" else f"{path.region}_id"
            return Q(**{f"{lookup}__in": regions})
    if scope == Scope.MUNICIPALITY and path.municipality:
        municipality_id = user.organisation.municipality_id if user.organisation else None
        if municipality_id:
            return Q(**{f"{path.municipality}_id": municipality_id})
    if scope == Scope.ORGANISATION and path.organisation and user.organisation_id:
        return Q(**{f"{path.organisation}_id": user.organisation_id})
    return Q(pk__in=[])


@dataclass(frozen=True)
class Within:
    """An object source whose visibility is an app's own rule built on this module, for the
    rare model seen wider than the role's scope (the monitor shows evaluators, whose role
    sees no participants, the aggregate pages of every region): `rule(user)` is the queryset
    of what `user` may open."""

    model: type
    rule: object

    def for_user(self, user) -> models.QuerySet:
        return self.rule(user)


def _queryset(source) -> models.QuerySet:
    if isinstance(source, Within):
        return source.model._default_manager.none()
    if isinstance(source, models.QuerySet):
        return source
    if isinstance(source, models.Manager):
        return source.all()
    return source._default_manager.all()


def restrict(source, user) -> models.QuerySet:
    """`source` (a model, manager, queryset or `Within`) narrowed to what `user` may see."""
    if isinstance(source, Within):
        return source.for_user(user)
    queryset = _queryset(source)
    if isinstance(queryset, ScopedQuerySet):
        return queryset.scoped(user)
    condition = scope_q(queryset.model, user)
    return queryset if condition is None else queryset.filter(condition)


def get_or_404(source, user, **lookup):
    """One object within `user`'s scope; 404 otherwise (never a hint that it exists)."""
    queryset = restrict(source, user)
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("Not found.")) from None


def get_or_refuse(source, user, **lookup):
    """One object within `user`'s scope, for services: PermissionDenied otherwise."""
    queryset = restrict(source, user)
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise PermissionDenied(_("This is outside your scope.")) from None


def visible(user, obj):
    """`obj` again if `user` may see it (fresh from the database); PermissionDenied if not."""
    return get_or_refuse(type(obj), user, pk=obj.pk)


# --- views ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewAccess:
    """What a view declares: allowed methods, the rights it needs (any of), the URL keyword
    arguments it loads as scoped objects, and whether showing it is audited."""

    methods: tuple[str, ...] = ("GET",)
    rights: tuple[str, ...] = ()
    write_rights: tuple[str, ...] = ()
    objects: dict = field(default_factory=dict)
    audit: str = ""
    public: bool = False
    check: object = None

    def opens_for(self, user, method: str = "GET") -> bool:
        """Whether `user` passes this view's rights and check for `method` (objects aside)."""
        if self.public:
            return True
        if self.rights and not may(user, *self.rights):
            return False
        if method not in SAFE_METHODS and self.write_rights and not may(user, *self.write_rights):
            return False
        return self.check is None or bool(self.check(user))

    def loaded(self):
        """(url kwarg, argument name, model) per object the view loads."""
        for kwarg, target in self.objects.items():
            name, source = target if isinstance(target, tuple) else (None, target)
            model = _queryset(source).model
            yield kwarg, name or model._meta.model_name, source


SAFE_METHODS = ("GET", "HEAD")


def view(
    *,
    methods: tuple[str, ...] = ("GET",),
    rights: tuple[str, ...] = (),
    write_rights: tuple[str, ...] = (),
    objects: dict | None = None,
    audit: str = "",
    check=None,
):
    """Declare and enforce a view's access, in this order: method (405), right (403), every
    object in scope (404), then the audit entry for a personal page.

    `objects` maps a URL keyword to a model or queryset (argument named after the model) or
    to ``(argument name, model or queryset)``; the view receives the loaded objects.
    `write_rights` are needed on top of `rights` for anything but GET (a page everyone in
    scope reads, with a form only some may send).
    `audit` is what is written as seen ("plan", "metingen") when the page shows a
    participant (the object itself, or the one its scope path leads to).
    `check(user) -> bool` is for the rare page whose permission is not one role right
    (403 when it says no)."""
    rule = ViewAccess(
        methods=tuple(m.upper() for m in methods),
        rights=tuple(rights),
        write_rights=tuple(write_rights),
        objects=dict(objects or {}),
        audit=audit,
        check=check,
    )
    allowed = set(rule.methods) | ({"HEAD"} if "GET" in rule.methods else set())

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                return HttpResponseNotAllowed(sorted(allowed))
            if not rule.opens_for(request.user, request.method):
                raise PermissionDenied(_("Your role may not do this."))
            seen = []
            for kwarg, name, source in rule.loaded():
                field_name = "slug" if kwarg.endswith("slug") else "pk"
                obj = get_or_404(source, request.user, **{field_name: kwargs.pop(kwarg)})
                kwargs[name] = obj
                seen.append(obj)
            if rule.audit:
                _audit_view(request.user, seen, rule.audit)
            return func(request, *args, **kwargs)

        wrapper.access = rule
        return wrapper

    return decorate


def public(func):
    """A page anyone may open (the login page, the token API); LoginRequired stands aside."""
    from django.contrib.auth.decorators import login_not_required

    func = login_not_required(func)
    func.access = ViewAccess(methods=(), public=True)
    return func


def participant_of(obj):
    """The participant an object is about, by its scope path; None if it is about nobody."""
    path = getattr(type(obj), "scope_path", None)
    return path.participant_of(obj) if path is not None else None


def _audit_view(user, objects, what: str) -> None:
    for obj in objects:
        participant = participant_of(obj)
        if participant is not None:
            for listener in view_listeners:
                listener(user, participant, what)
            return


class ScopedQuerySet(models.QuerySet):
    """Base queryset of a model with a `scope_path`: ``Model.objects.visible_to(user)``.

    A model whose visibility has one extra rule beyond its scope path (unmatched signals
    only for the roles that work the queue) overrides `scoped`, building on `super()`;
    `restrict`, `get_or_404` and the view decorator then all apply it."""

    def scoped(self, user):
        condition = scope_q(self.model, user)
        return self if condition is None else self.filter(condition)

    def visible_to(self, user):
        return self.scoped(user)
