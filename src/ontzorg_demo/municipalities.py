"""Demo step: the municipality level in Edam-Volendam (with Waterland and Landsmeer).

Waterland has its own bijstand pay day and pays its participants from its own account (one
pain.001 file per account in each run), and the region limits staff to their municipality:
the case worker of Gemeente Waterland (`km.waterland.edam`) sees only Waterland's residents,
while the region's own organisations keep seeing the whole region. Runs before the users
and the payments, so that the runs use Waterland's account and pay day. Loading twice
changes nothing; an account or a setting changed in the admin is left alone."""

from schwifty import IBAN

from ontzorg.accounts.constants import OrganisationKind
from ontzorg.accounts.models import Organisation
from ontzorg.payments.models import DebtorAccount
from ontzorg.regelingen.models import Municipality, Region

REGION = "edam-volendam"
TOWN = "Waterland"
ORGANISATION = f"Gemeente {TOWN}"
# Waterland pays the bijstand on the 21st; the regeling of the region on the 25th.
OWN_PAY_DAY = 21


def load(stdout) -> None:
    region = Region.objects.filter(slug=REGION).first()
    town = Municipality.objects.filter(name=TOWN, region=region).first()
    if region is None or town is None:
        return
    created = False
    if not Organisation.objects.filter(name=ORGANISATION).exists():
        Organisation.objects.create(
            name=ORGANISATION, kind=OrganisationKind.MUNICIPALITY, region=region, municipality=town
        )
        # First load only: the region limits its staff, Waterland has its own pay day.
        Region.objects.filter(pk=region.pk).update(staff_limited_to_municipality=True)
        Municipality.objects.filter(pk=town.pk).update(benefit_payment_day=OWN_PAY_DAY)
        created = True
    DebtorAccount.objects.get_or_create(
        municipality=town,
        defaults=dict(
            region=region,
            name=ORGANISATION,
            iban=str(IBAN.generate("NL", bank_code="BNGH", account_code="285099001")),
            bic="BNGHNL2G",
        ),
    )
    if created:
        stdout.write(f"Gemeenteniveau: {TOWN} met eigen betaalrekening en betaaldag.")
