"""Demo step: the six pilot regions of the Verwey-Jonker evaluation, each with its
municipalities (lead first), partner organisations, instruments and one regeling configured
as the pilot worked (docs: /work/shared/domain/pilots.md)."""

from datetime import date

from django.utils import timezone

from ontzorg.accounts.constants import OrganisationKind
from ontzorg.accounts.models import Organisation
from ontzorg.regelingen.constants import (
    AllowanceFrequency,
    CostCategory,
    Inclusion,
    Mode,
    PlanStart,
    SelectionMethod,
)
from ontzorg.regelingen.models import (
    Instrument,
    InstrumentLevel,
    Municipality,
    PackageItem,
    Regeling,
    Region,
    Training,
)

NOT, PARTLY, SELF = (c.value for c in InstrumentLevel.Category)
PARTNER = OrganisationKind.PARTNER

ZRM = "ZRM Financiën"
THREE_LEVELS = "Driedelige schaal pilots"
CHECKLIST = "Vaardighedenchecklist Edam-Volendam"
LEEFGEBIEDEN = "Leefgebiedencheck financiën Zoetermeer"

# (label, category, enough to end ontzorgen). ZRM texts are copyrighted: own short labels.
INSTRUMENTS = {
    ZRM: (
        "Zelfredzaamheid-Matrix, domein Financiën: vijf niveaus over de laatste 30 dagen. "
        "Niveau 4 of 5: het einde van het ontzorgen komt in beeld.",
        [
            ("Acute geldproblemen", NOT, False),
            ("Niet zelfredzaam met geld", NOT, False),
            ("Beperkt zelfredzaam met geld", PARTLY, False),
            ("Voldoende zelfredzaam met geld", SELF, True),
            ("Volledig zelfredzaam met geld", SELF, True),
        ],
    ),
    THREE_LEVELS: (
        "De gemeenschappelijke schaal van de pilots en de evaluatie.",
        [
            ("Niet financieel zelfredzaam", NOT, False),
            ("Beperkt financieel zelfredzaam", PARTLY, False),
            ("Financieel zelfredzaam", SELF, True),
        ],
    ),
    CHECKLIST: (
        "Tien geldvaardigheden bij de intake; hertoets met opdrachten twee maanden voor het einde.",
        [
            ("0 tot 3 van de 10 vaardigheden", NOT, False),
            ("4 tot 6 van de 10 vaardigheden", PARTLY, False),
            ("7 of 8 van de 10 vaardigheden", PARTLY, False),
            ("9 of 10 van de 10 vaardigheden", SELF, True),
        ],
    ),
    LEEFGEBIEDEN: (
        "Eigen instrument van Zoetermeer, samen met de Nibud-lijst vaste lasten.",
        [
            ("Zorgen over geld", NOT, False),
            ("Redt zich met hulp", PARTLY, False),
            ("Redt zich zelf", SELF, True),
        ],
    ),
}

LEGAL = ["huur", "energie", "water", "zorgverzekering"]

# The outcome instruments shipped by migration regelingen 0008, per region that measures
# them beside self-reliance: Zoetermeer stress and agencies approached, Dongemond (duaal
# traject) language progress.
STRESS = "Ervaren geldstress"
LANGUAGE = "Taalvoortgang Nederlands (ERK)"
AGENCIES = "Aantal benaderde instanties"
OUTCOME_INSTRUMENTS = {"zoetermeer": [STRESS, AGENCIES], "dongemond": [LANGUAGE]}


def pilot_start(today: date) -> date:
    """The pilots started eighteen months before the demo is loaded, on the first of a month."""
    months = today.year * 12 + today.month - 1 - 18
    return date(months // 12, months % 12 + 1, 1)


# Per region: municipalities (lead first) as (name, [(town, postcode digits)]), organisations
# as (short code, name, kind, audience), the regeling's settings, package and trainings.
REGIONS = [
    dict(
        slug="capelle",
        name="Capelle aan den IJssel",
        login="capelle",
        municipalities=[
            ("Capelle aan den IJssel", [("Capelle aan den IJssel", "2901 2902 2903 2905 2907")]),
            ("Krimpen aan den IJssel", [("Krimpen aan den IJssel", "2921 2922 2923")]),
            (
                "Zuidplas",
                [("Nieuwerkerk aan den IJssel", "2911 2912 2913"), ("Moordrecht", "2841")],
            ),
        ],
        organisations=[
            ("vwn", "VluchtelingenWerk Capelle aan den IJssel", PARTNER, "alle statushouders"),
            (
                "welzijn",
                "Welzijn Capelle",
                PARTNER,
                "intake, casusregie en warme overdracht naar de gewone dienstverlening",
            ),
        ],
        regeling=dict(
            mode=Mode.STANDARD,
            extension_allowed=True,
            max_extension_months=6,
            first_month_rent_gift=True,
            both_partners=True,
            target_participants=52,
            notes=(
                "Stapsgewijze afbouw zodra de zelfredzaamheid vaststaat; meer vaste lasten op "
                "verzoek. Indien nodig betaalt de bijzondere bijstand de eerste maand huur als "
                "gift: de klantmanager beslist dat per deelnemer bij het plan. Casusregie bij "
                "de welzijnsorganisatie, niet bij de gemeente. Meting na 6 en zo nodig na 12 "
                "maanden. Warme overdracht naar de gewone dienstverlening."
            ),
        ),
        instruments=[THREE_LEVELS],
        package={
            Inclusion.STANDARD: LEGAL,
            Inclusion.OPTIONAL: ["telecom", "verzekering", "overig"],
        },
        trainings=[
            ("Geldwijzer", 4, "Groepstraining over geld, post en vaste lasten."),
            ("Omgaan met geld", 3, "Individueel met de budgetcoach."),
        ],
    ),
    dict(
        slug="den-haag",
        name="Den Haag",
        login="denhaag",
        municipalities=[("Den Haag", [("Den Haag", "2511 2521 2531 2541 2552 2564 2571 2593")])],
        organisations=[
            ("vwn", "VluchtelingenWerk Den Haag", PARTNER, "alle deelnemers"),
            (
                "geldzaken",
                "Helpdesk Financiële Zaken Den Haag",
                PARTNER,
                "trainingen in niveaugroepen; doorverwijzing naar budgetbeheer of bewindvoering",
            ),
        ],
        regeling=dict(
            mode=Mode.DIFFERENTIATED,
            both_partners=False,
            selection_method=SelectionMethod.RANDOM,
            target_participants=45,
            notes=(
                "Loting van 40 tot 60 vrijwilligers uit ongeveer 400 nieuwkomers. Voor 5 tot 10 "
                "deelnemers ook tv, telefoon, internet, WA- en inboedelverzekering, met korting "
                "bij leveranciers (Vaste Lasten Pakket). Financiële scan van inkomsten en "
                "uitgaven; acht trainingen in twee niveaugroepen; tolken."
            ),
        ),
        instruments=[THREE_LEVELS],
        package={
            Inclusion.STANDARD: LEGAL,
            Inclusion.OPTIONAL: ["telecom", "verzekering"],
        },
        trainings=[
            ("Financiële scan", 1, "Inkomsten en uitgaven op een rij bij de start."),
            ("Geld, hoe werkt het in Nederland: basisgroep", 8, "Acht bijeenkomsten, met tolk."),
            ("Geld, hoe werkt het in Nederland: gevorderden", 8, "Acht bijeenkomsten."),
        ],
    ),
    dict(
        slug="dongemond",
        name="Dongemond",
        login="dongemond",
        municipalities=[
            ("Geertruidenberg", [("Raamsdonksveer", "4941 4942"), ("Geertruidenberg", "4931")]),
            ("Drimmelen", [("Made", "4921"), ("Terheijden", "4844")]),
            ("Altena", [("Almkerk", "4286"), ("Woudrichem", "4285")]),
            ("Oosterhout", [("Oosterhout", "4901 4902 4903 4904 4907")]),
        ],
        organisations=[
            (
                "vwn",
                "VluchtelingenWerk Dongemond",
                PARTNER,
                "maatschappelijke begeleiding en coaching; coördineert de klankbordgroep",
            ),
            (
                "midzuid",
                "MidZuid",
                PARTNER,
                "sociaal werkbedrijf: workshops en taallessen in het duale traject werk en taal",
            ),
        ],
        regeling=dict(
            mode=Mode.STANDARD,
            both_partners=True,
            target_participants=40,
            notes=(
                "Alleen de wettelijke vaste lasten (huur, energie, water, zorgverzekering), "
                "standaard zes maanden (les uit de pilot); kinderopvang en reiskosten worden "
                "geregeld, maar niet ingehouden. "
                "Gecombineerd met een duaal traject (werk en taal). Klankbordgroep van "
                "deelnemers. Schuldeisers (energie, woningcorporaties) melden "
                "betalingsproblemen ook na de uitstroom."
            ),
        ),
        instruments=[ZRM],
        package={Inclusion.STANDARD: LEGAL},
        trainings=[
            ("Omgaan met geld", 4, "Groepstraining in de eigen taal."),
            ("Eurowijzer", 3, "Rekenen met euro's in het dagelijks leven."),
            ("Klankbordgroep deelnemers", 4, "Deelnemers denken mee over de aanpak."),
        ],
    ),
    dict(
        slug="edam-volendam",
        name="Edam-Volendam",
        login="edam",
        municipalities=[
            ("Edam-Volendam", [("Volendam", "1131"), ("Edam", "1135")]),
            ("Waterland", [("Monnickendam", "1141"), ("Broek in Waterland", "1151")]),
            ("Landsmeer", [("Landsmeer", "1121")]),
        ],
        organisations=[
            ("vwn", "VluchtelingenWerk Edam-Volendam", PARTNER, "alle statushouders"),
            (
                "schuldhulp",
                "Schuldhulpverlening Waterland",
                PARTNER,
                "schuldhulp; ontvangt de signalen van energieleveranciers",
            ),
        ],
        regeling=dict(
            mode=Mode.STANDARD,
            both_partners=True,
            include_old_arrivals=True,
            prepay_last_month=True,
            prepay_from_bridging=True,
            benefit_payment_day=25,
            endmeasurement_months_before_end=2,
            target_participants=27,
            notes=(
                "Nieuwe en oude instromers. Aan het eind worden de vaste lasten één maand "
                "vooruitbetaald uit de overbruggingsvergoeding (bijzondere bijstand), niet uit "
                "de laatste uitkering; daarna "
                "automatische incasso's afgestemd op de betaaldatum van de bijstand."
            ),
        ),
        instruments=[CHECKLIST],
        package={
            Inclusion.STANDARD: LEGAL,
            Inclusion.OPTIONAL: ["kinderopvang"],
        },
        trainings=[
            ("Omgaan met geld", 5, "Groepslessen met opdrachten."),
            ("Eurowijzer", 3, "Rekenen met euro's in het dagelijks leven."),
        ],
    ),
    dict(
        slug="hendrik-ido-ambacht",
        name="Hendrik-Ido-Ambacht en Drechtsteden",
        login="hia",
        municipalities=[
            ("Hendrik-Ido-Ambacht", [("Hendrik-Ido-Ambacht", "3341 3342 3343 3344")]),
            ("Alblasserdam", [("Alblasserdam", "2951 2952 2953")]),
            ("Dordrecht", [("Dordrecht", "3311 3312 3314 3315 3317 3318")]),
            ("Papendrecht", [("Papendrecht", "3351 3352 3353 3354")]),
            ("Sliedrecht", [("Sliedrecht", "3361 3362 3363")]),
            ("Zwijndrecht", [("Zwijndrecht", "3331 3332 3333 3334")]),
            ("Hardinxveld-Giessendam", [("Hardinxveld-Giessendam", "3371 3372")]),
            ("Molenlanden", [("Giessenburg", "3381"), ("Bleskensgraaf", "2971")]),
        ],
        organisations=[
            (
                "vwn",
                "VluchtelingenWerk Drechtsteden",
                PARTNER,
                "een budgetcoach (vrijwilliger) per deelnemer, naast de budgetbeheerder",
            ),
            (
                "wijkteam",
                "Sociaal wijkteam Hendrik-Ido-Ambacht",
                PARTNER,
                "contact met de statushouders in Hendrik-Ido-Ambacht",
            ),
            (
                "sdd",
                "Sociale Dienst Drechtsteden",
                OrganisationKind.KREDIETBANK,
                "budgetbeheer: de budgetbeheerder brengt de vaste lasten in kaart en houdt in",
            ),
        ],
        regeling=dict(
            mode=Mode.BUDGETBEHEER,
            min_duration_months=6,
            extension_allowed=True,
            max_extension_months=12,
            plan_start=PlanStart.LEASE_SIGNED,
            continues_on_wages=True,
            allowance_frequency=AllowanceFrequency.WEEKLY,
            has_savings_pots=True,
            counts_toeslagen=True,
            exclude_illiterate=True,
            both_partners=True,
            followup_months_after_end=12,
            target_participants=35,
            notes=(
                "Budgetbeheer voor iedereen: alle vaste lasten, ook commerciële en incidentele; "
                "de rest als weekgeld, naar maandgeld als de zelfredzaamheid groeit. "
                "Spaarpotjes voor het onverwachte. Minimaal zes maanden; daarna kan het "
                "budgetbeheer doorlopen. Start op de dag dat het huurcontract wordt "
                "getekend; loopt door op inkomen uit werk. Gezamenlijke evaluatie door "
                "budgetbeheerder en budgetcoach; vervolgmeting een jaar na het einde."
            ),
        ),
        instruments=[ZRM],
        package={
            Inclusion.STANDARD: [*LEGAL, "telecom", "verzekering", "gemeentebelasting"],
            Inclusion.OPTIONAL: ["kinderopvang", "overig"],
        },
        trainings=[
            ("Budgetcoaching", 12, "Individueel, naast het budgetbeheer."),
            ("Wijzer in geldzaken", 4, "Cursus van VluchtelingenWerk in het welkomstprogramma."),
        ],
    ),
    dict(
        slug="zoetermeer",
        name="Zoetermeer",
        login="zoetermeer",
        municipalities=[
            ("Zoetermeer", [("Zoetermeer", "2711 2712 2713 2716 2717 2718 2719 2722 2725")]),
            (
                "Lansingerland",
                [
                    ("Berkel en Rodenrijs", "2651 2652"),
                    ("Bergschenhoek", "2661"),
                    ("Bleiswijk", "2665"),
                ],
            ),
        ],
        organisations=[
            ("vwn", "VluchtelingenWerk Zoetermeer", PARTNER, "volwassenen en gezinnen"),
            (
                "jongeren",
                "Jongerenwerk Zoetermeer",
                PARTNER,
                "jongeren tot 27 jaar en (voormalig) alleenstaande minderjarigen",
            ),
            ("buurtmoeders", "Buurtmoeders Zoetermeer", PARTNER, "moeders met kinderen"),
            ("schuldhulpmaatje", "SchuldHulpMaatje Zoetermeer", PARTNER, "deelnemers met schulden"),
            ("humanitas", "Humanitas Zoetermeer", PARTNER, "alleenstaanden vanaf 27 jaar"),
            (
                "lansingerland",
                "Stichting Nieuwkomers Lansingerland",
                PARTNER,
                "inwoners van Lansingerland",
            ),
        ],
        regeling=dict(
            mode=Mode.STANDARD,
            exclude_seniors=True,
            exclude_fulltime_students=True,
            both_partners=True,
            target_participants=35,
            notes=(
                "Alleen huur, energie en zorgverzekering: de eigen verantwoordelijkheid zo groot "
                "mogelijk. Nieuwkomers en alleenstaande minderjarigen, zonder ouderen en "
                "voltijdstudenten. Vaste klantmanager; begeleidingsuren per deelnemer worden "
                "bijgehouden. Na 6 maanden een gesprek (coach, klantmanager, deelnemer) over "
                "stoppen of verlengen. Maandelijks overleg met de woningcorporaties over "
                "achterstanden. Het ontzorgen stopt bij werk."
            ),
        ),
        instruments=[LEEFGEBIEDEN],
        package={Inclusion.STANDARD: ["huur", "energie", "zorgverzekering"]},
        trainings=[
            ("Eurowijzer", 3, "Rekenen met euro's in het dagelijks leven."),
            ("Nibud-lijst vaste lasten", 1, "Samen de vaste lasten op een rij."),
        ],
    ),
]

EVALUATOR_ORGANISATION = "Onderzoeksbureau Evaluatie Ontzorgen"


def municipal_organisation_name(region: dict) -> str:
    return f"Gemeente {region['municipalities'][0][0]}"


def load(stdout) -> None:
    instruments = {name: _instrument(name, *spec) for name, spec in INSTRUMENTS.items()}
    start = pilot_start(timezone.localdate())
    for spec in REGIONS:
        region, _ = Region.objects.get_or_create(slug=spec["slug"], defaults={"name": spec["name"]})
        for lead, (name, _towns) in enumerate(spec["municipalities"]):
            Municipality.objects.get_or_create(
                name=name, defaults={"region": region, "is_lead": lead == 0}
            )
        Organisation.objects.get_or_create(
            name=municipal_organisation_name(spec),
            defaults={"kind": OrganisationKind.MUNICIPALITY, "region": region},
        )
        for _code, name, kind, audience in spec["organisations"]:
            Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "region": region, "audience": audience}
            )
        if not region.regelingen.exists():
            _regeling(region, spec, start, instruments)
        outcomes = Instrument.objects.filter(name__in=OUTCOME_INSTRUMENTS.get(spec["slug"], []))
        for regeling in region.regelingen.all():
            regeling.instruments.add(*outcomes)
    Organisation.objects.get_or_create(
        name=EVALUATOR_ORGANISATION, defaults={"kind": OrganisationKind.EVALUATOR, "region": None}
    )
    stdout.write(
        f"Regio's: {Region.objects.count()}, gemeenten: {Municipality.objects.count()}, "
        f"organisaties: {Organisation.objects.count()}, regelingen: {Regeling.objects.count()}."
    )


def _instrument(name, description, levels) -> Instrument:
    instrument, created = Instrument.objects.get_or_create(
        name=name, defaults={"description": description}
    )
    if created:
        InstrumentLevel.objects.bulk_create(
            InstrumentLevel(
                instrument=instrument, rank=rank, label=label, category=category, is_exit=is_exit
            )
            for rank, (label, category, is_exit) in enumerate(levels, start=1)
        )
    return instrument


def _regeling(region, spec, start, instruments) -> Regeling:
    regeling = Regeling(
        region=region,
        name=f"Ontzorgen {region.name}",
        valid_from=start,
        newcomers_since=start,
        **spec["regeling"],
    )
    regeling.full_clean()
    regeling.save()
    regeling.instruments.set([instruments[name] for name in spec["instruments"]])
    PackageItem.objects.bulk_create(
        PackageItem(regeling=regeling, category=CostCategory(category), inclusion=inclusion)
        for inclusion, categories in spec["package"].items()
        for category in categories
    )
    Training.objects.bulk_create(
        Training(regeling=regeling, name=name, sessions=sessions, description=description)
        for name, sessions, description in spec["trainings"]
    )
    return regeling
