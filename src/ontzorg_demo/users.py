"""Demo step: one login per role and region, all with the password DEMO_PASSWORD.

Per region a klantmanager (`km.<regio>`), two backoffice users so that payment runs can be
approved by a second person (`backoffice.<regio>`, `budgetbeheer.<regio>`), a budgetcoach per
partner organisation (`coach.<regio>` for VluchtelingenWerk, `coach.<organisatie>.<regio>`
for the others) and a projectleider (`pl.<regio>`); plus `evaluator` and `beheerder`.

Every login needs a second factor: each demo user has an authenticator app (a confirmed TOTP
device) whose secret is derived from the username (`demo_totp_key`), so it is the same after
every `make run`. `manage.py demo_logins` prints the secrets; `manage.py totp_code <login>`
prints the current code."""

import hashlib
from base64 import b32encode
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.models import Organisation, Role, User

from . import municipalities
from .regions import EVALUATOR_ORGANISATION, REGIONS, municipal_organisation_name

DEMO_PASSWORD = "ontzorg-demo"


def demo_totp_key(username: str) -> str:
    """The demo user's TOTP secret (hex, 20 bytes): public, like the demo password."""
    return hashlib.sha1(f"ontzorg-demo-totp:{username}".encode()).hexdigest()


def demo_totp_secret(username: str) -> str:
    """The same secret in base32, as an authenticator app asks for it."""
    return b32encode(bytes.fromhex(demo_totp_key(username))).decode()


# Fictional staff names, handed out in order.
STAFF_NAMES = [
    ("Sanne", "de Vries"),
    ("Mark", "Jansen"),
    ("Fatima", "El Idrissi"),
    ("Joost", "Bakker"),
    ("Ilse", "Visser"),
    ("Ruben", "Smit"),
    ("Noor", "Meijer"),
    ("Daan", "de Boer"),
    ("Esra", "Yilmaz"),
    ("Pieter", "Mulder"),
    ("Lotte", "de Groot"),
    ("Hamid", "Rahimi"),
    ("Marloes", "Bos"),
    ("Thijs", "Vos"),
    ("Anouk", "Peters"),
    ("Kees", "Hendriks"),
    ("Ayla", "Demir"),
    ("Bram", "van Leeuwen"),
    ("Femke", "Dekker"),
    ("Youssef", "Amrani"),
    ("Linda", "Brouwer"),
    ("Wouter", "de Wit"),
    ("Eva", "Dijkstra"),
    ("Sem", "Smits"),
    ("Mirjam", "de Graaf"),
    ("Jeroen", "van der Meer"),
    ("Naima", "Bouzid"),
    ("Tim", "Koster"),
    ("Iris", "Prins"),
    ("Gert", "Huisman"),
    ("Merel", "Kok"),
    ("Omar", "Haddou"),
    ("Judith", "Jacobs"),
    ("Niels", "van Dam"),
    ("Saskia", "Kuipers"),
    ("Lars", "Post"),
    ("Rianne", "Willems"),
    ("Stefan", "van den Berg"),
    ("Yara", "Hoekstra"),
    ("Erik", "Vermeulen"),
    ("Hanneke", "Schouten"),
    ("Vincent", "Maas"),
    ("Dewi", "Verhoeven"),
    ("Martijn", "Kramer"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str | None
    region_slug: str | None = None
    extra: dict = field(default_factory=dict)


def km_username(region: dict) -> str:
    return f"km.{region['login']}"


def coach_username(region: dict, code: str) -> str:
    return f"coach.{region['login']}" if code == "vwn" else f"coach.{code}.{region['login']}"


def demo_users() -> list[DemoUser]:
    """Every demo login, in the order demo_logins prints them."""
    users = []
    for region in REGIONS:
        municipal = municipal_organisation_name(region)
        login = region["login"]
        kredietbank = next(
            (o[1] for o in region["organisations"] if o[2] == OrganisationKind.KREDIETBANK),
            municipal,
        )
        users += [
            DemoUser(km_username(region), RoleCode.KLANTMANAGER, municipal, region["slug"]),
            DemoUser(f"backoffice.{login}", RoleCode.BACKOFFICE, municipal, region["slug"]),
            DemoUser(f"budgetbeheer.{login}", RoleCode.BACKOFFICE, kredietbank, region["slug"]),
        ]
        users += [
            DemoUser(coach_username(region, code), RoleCode.BUDGETCOACH, name, region["slug"])
            for code, name, kind, _audience in region["organisations"]
            if kind == OrganisationKind.PARTNER
        ]
        users.append(DemoUser(f"pl.{login}", RoleCode.PROJECTLEIDER, municipal, region["slug"]))
        if region["slug"] == municipalities.REGION:
            # Limited to one municipality of the region (ontzorg_demo.municipalities).
            users.append(
                DemoUser(
                    f"km.waterland.{login}",
                    RoleCode.KLANTMANAGER,
                    municipalities.ORGANISATION,
                    region["slug"],
                )
            )
    users += [
        DemoUser("evaluator", RoleCode.EVALUATOR, EVALUATOR_ORGANISATION),
        DemoUser(
            "beheerder",
            RoleCode.BEHEERDER,
            None,
            extra={"is_staff": True, "is_superuser": True},
        ),
    ]
    return users


def load(stdout) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    organisations = {org.name: org for org in Organisation.objects.all()}
    existing = set(User.objects.values_list("username", flat=True))
    wanted = demo_users()
    # One hash for all: hashing is deliberately slow, and the password is public anyway.
    password = (
        make_password(DEMO_PASSWORD) if any(u.username not in existing for u in wanted) else ""
    )
    for index, demo in enumerate(wanted):
        if demo.username in existing:
            continue
        first_name, last_name = STAFF_NAMES[index % len(STAFF_NAMES)]
        User.objects.create(
            username=demo.username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=f"{demo.username}@example.org",
            role=roles[demo.role],
            organisation=organisations.get(demo.organisation),
            **demo.extra,
        )
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    users = User.objects.in_bulk([demo.username for demo in wanted], field_name="username")
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="demo", key=demo_totp_key(user.username), confirmed=True)
        for user in users.values()
        if user.username not in with_device
    )
    stdout.write(f"Demogebruikers: {len(wanted)} (wachtwoord '{DEMO_PASSWORD}').")
