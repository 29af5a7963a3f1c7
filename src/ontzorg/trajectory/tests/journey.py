"""A participant's journey driven only through the pages, as a browser would send them.

`Journey` is the test driver of the acceptance tests of issue 10: every step GETs the page a
user would open, reads the form from the HTML (field names, hidden fields, the options of a
select and the initial values), fills in what the user would type or choose, posts it to the
form's action and, where the page asks for a confirmation, posts the confirmation form as it
came back. A refused step fails with the page's own error text, so a broken joint between
apps shows up as "step X: <message the user would see>".

Nothing here sets state directly: the only database reads are for assertions (phase, ledger,
snapshot rows). Dates come from the frozen clock; `at(day)` moves it (and logs users in
again, because a session does not live for months)."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import etree, html

from ontzorg.participants.models import Participant

# Message levels the pages use for a refusal (django.contrib.messages.constants.ERROR).
ERROR_LEVEL = 40


class StepFailed(AssertionError):
    """A page refused a step; the message says which step and what the page said."""


@dataclass(frozen=True)
class Option:
    """Choose the option (or radio button) of a field by the text the user sees."""

    text: str


@dataclass(frozen=True)
class Payment:
    iban: str
    amount_cents: int


@dataclass
class MonthRun:
    pk: int
    payments: list[Payment] = field(default_factory=list)


def euros(cents: int) -> str:
    """An amount as typed into a euro field: 650.00."""
    return str(Decimal(cents) / 100)


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _errors(doc) -> str:
    """The error texts a page shows: form errors, the error summary and error messages."""
    found = []
    for node in doc.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' errorlist ')]"
        " | //*[contains(concat(' ', normalize-space(@class), ' '), ' error-summary ')]"
        " | //*[contains(concat(' ', normalize-space(@class), ' '), ' message error ')]"
        " | //*[@role='alert']"
    ):
        text = _text(node)
        if text and text not in found:
            found.append(text)
    return " | ".join(found)


def pain001_payments(xml: bytes) -> list[Payment]:
    """(creditor IBAN, amount) of every credit transfer in a pain.001 file (03 or 09)."""
    root = etree.fromstring(xml)
    result = []
    for tx in root.xpath("//*[local-name()='CdtTrfTxInf']"):
        iban = tx.xpath("string(./*[local-name()='CdtrAcct']//*[local-name()='IBAN'])")
        amount = tx.xpath("string(./*[local-name()='Amt']/*[local-name()='InstdAmt'])")
        result.append(Payment(iban.strip(), int(Decimal(amount) * 100)))
    return result


class Journey:
    """One participant's trajectory through the pages; `self.step` names the current step."""

    def __init__(self, clock, *, klantmanager, preparer, approver, projectleider):
        self.clock = clock
        self.users = {
            "klantmanager": klantmanager,
            "preparer": preparer,
            "approver": approver,
            "projectleider": projectleider,
        }
        self.clients = {name: Client() for name in self.users}
        self.step = "start"

    # --- plumbing ---------------------------------------------------------------------------

    def at(self, day: date | str) -> None:
        """Move the clock; users log in again (a session does not last months)."""
        self.clock.move_to(f"{day} 10:00:00+01:00" if isinstance(day, date) else day)

    def client(self, who: str) -> Client:
        client = self.clients[who]
        client.force_login(self.users[who])
        return client

    def fail(self, what: str) -> None:
        raise StepFailed(f"step {self.step!r}: {what}")

    def get(self, who: str, url: str, *, status: int = 200):
        response = self.client(who).get(url)
        if response.status_code != status:
            self.fail(f"GET {url} as {who} gave {response.status_code}, expected {status}")
        return response

    def page(self, who: str, url: str):
        return html.fromstring(self.get(who, url).content.decode())

    def _form(self, doc, url: str, action: str | None):
        # The menu's logout button is a form on every page; it is never the step's form.
        forms = [
            f
            for f in doc.forms
            if (f.method or "GET").upper() == "POST" and f.get("action") != reverse("logout")
        ]
        if action is not None:
            forms = [f for f in forms if (f.get("action") or url) == action]
        if not forms:
            self.fail(f"no POST form{' to ' + action if action else ''} on {url}")
        if len(forms) > 1:
            self.fail(f"{len(forms)} POST forms on {url}; name the action")
        return forms[0]

    def _fill(self, form, values: dict) -> dict:
        """The form as the browser would send it, with `values` typed or chosen."""
        data: dict[str, list[str]] = {}
        for name, value in form.form_values():
            data.setdefault(name, []).append(value)
        names = {el.get("name") for el in form.xpath(".//input|.//select|.//textarea")}
        for name, value in values.items():
            if name not in names:
                self.fail(f"the form has no field {name!r}; it has {sorted(n for n in names if n)}")
            if isinstance(value, Option):
                value = self._option(form, name, value.text)
            if value is None or value is False:
                data.pop(name, None)
            elif value is True:
                data[name] = [form.xpath(f".//input[@name='{name}']")[0].get("value") or "on"]
            elif isinstance(value, list | tuple):
                data[name] = [str(v) for v in value]
            else:
                data[name] = [value.isoformat() if isinstance(value, date) else str(value)]
        return {name: v if len(v) > 1 else v[0] for name, v in data.items()}

    def _option(self, form, name: str, text: str) -> str:
        choices = []
        for option in form.xpath(f".//select[@name='{name}']/option"):
            choices.append((_text(option), option.get("value")))
        for radio in form.xpath(f".//input[@name='{name}'][@type='radio' or @type='checkbox']"):
            label = form.xpath(f".//label[@for='{radio.get('id')}']")
            words = _text(label[0]) if label else _text(radio.getparent())
            choices.append((words, radio.get("value")))
        matches = [value for words, value in choices if text.lower() == words.lower()]
        matches = matches or [value for words, value in choices if text.lower() in words.lower()]
        if len(matches) != 1:
            self.fail(
                f"field {name!r}: {len(matches)} options match {text!r}; "
                f"options are {[w for w, _ in choices]}"
            )
        return matches[0]

    def submit(self, who: str, url: str, values: dict, *, action: str | None = None, files=None):
        """Open `url`, fill its form and post it; confirm when a confirmation page comes
        back (plans, selection). Returns the final response; fails with the page's errors."""
        doc = html.fromstring(self.get(who, url).content.decode())
        form = self._form(doc, url, action)
        target = form.get("action") or url
        response = self.client(who).post(target, self._fill(form, values))
        for _round in range(2):
            if response.status_code != 200:
                break
            answer = html.fromstring(response.content.decode())
            confirm = [
                f
                for f in answer.forms
                if f.xpath(".//input[@name='confirm' or @name='confirmed'][@type='hidden']")
            ]
            if not confirm or _errors(answer):
                break
            data = {**self._fill(confirm[0], {}), **(files or {})}
            response = self.client(who).post(confirm[0].get("action") or target, data)
        return self._checked(who, response, target)

    def post_button(self, who: str, url: str, action: str, values: dict | None = None):
        """Press a button form (approve, export, book, build) on the page at `url`."""
        return self.submit(who, url, values or {}, action=action)

    def _checked(self, who: str, response, target: str):
        if response.status_code == 302:
            followed = self.client(who).get(response.url)
            errors = (
                [str(m) for m in followed.context["messages"] if m.level >= ERROR_LEVEL]
                if followed.context
                else []
            )
            if errors:
                self.fail(f"POST {target} as {who} refused: {' | '.join(errors)}")
            followed.redirect_url = response.url
            return followed
        doc = html.fromstring(response.content.decode()) if response.content else None
        what = _errors(doc) if doc is not None else ""
        self.fail(
            f"POST {target} as {who} gave {response.status_code}: "
            f"{what or 'no redirect and no error on the page'}"
        )

    # --- reading ----------------------------------------------------------------------------

    def phase(self, participant) -> str:
        """The phase as the participant's page shows it (the badge), checked against the DB."""
        doc = self.page("klantmanager", reverse("participants:detail", args=[participant.pk]))
        badge = doc.xpath("//h1//span[contains(@class, 'phase-')]")
        if not badge:
            self.fail("the participant page shows no phase")
        shown = re.search(r"phase-(\w+)", badge[0].get("class")).group(1)
        stored = Participant.objects.get(pk=participant.pk).phase
        assert shown == stored, f"page shows {shown}, database has {stored}"
        return shown

    def eligibility(self, participant) -> str:
        """The eligibility outcome on the participant's page: "Geschikt voor ..." or
        "Niet geschikt voor ..."."""
        self.step = "eligibility"
        doc = self.page("klantmanager", reverse("participants:detail", args=[participant.pk]))
        outcome = doc.xpath(
            "//section[@aria-labelledby='geschiktheid']//p[contains(@class, 'outcome')]"
        )
        if not outcome:
            self.fail("the participant page shows no eligibility outcome")
        return _text(outcome[0])

    def link(self, who: str, url: str, words: str) -> str:
        """The address of the link on the page at `url` whose text contains `words`, as a
        user finds the next page."""
        doc = self.page(who, url)
        found = sorted(
            {a.get("href") for a in doc.xpath("//a[@href]") if words.lower() in _text(a).lower()}
        )
        if len(found) != 1:
            self.fail(f"{len(found)} links with {words!r} on {url}: {found}")
        return found[0]

    def categories(self, participant) -> list[str]:
        """The cost categories the add-line form offers."""
        doc = self.page("klantmanager", reverse("plans:add_line", args=[participant.pk]))
        return [_text(o) for o in doc.xpath("//select[@name='category']/option") if o.get("value")]

    def schedule_status(self, participant) -> dict[str, str]:
        from ontzorg.measurements import services as measurements

        return {m.moment: m.status for m in measurements.schedule_for(participant)}

    # --- steps ------------------------------------------------------------------------------

    def intake(self, values: dict) -> Participant:
        self.step = "intake"
        response = self.submit("klantmanager", reverse("participants:create"), values)
        pk = int(re.search(r"/deelnemers/(\d+)/", response.redirect_url).group(1))
        return Participant.objects.get(pk=pk)

    def add_member(self, participant, kind: str, values: dict):
        """A partner, child or housemate added through the household page (participant page
        → "Huishouden" → "Gezinslid toevoegen"). Returns the new participant when the
        person takes part, else the new household member."""
        from ontzorg.participants.models import HouseholdMember

        self.step = f"household: add {kind}"
        detail = reverse("participants:detail", args=[participant.pk])
        home = self.link("klantmanager", detail, "Huishouden")
        url = self.link("klantmanager", home, "Gezinslid toevoegen")
        household = participant.household_id
        people = set(Participant.objects.filter(household_id=household))
        members = set(HouseholdMember.objects.filter(household_id=household))
        self.submit("klantmanager", url, {"kind": Option(kind), **values})
        added = set(Participant.objects.filter(household_id=household)) - people
        if added:
            return added.pop()
        return (set(HouseholdMember.objects.filter(household_id=household)) - members).pop()

    def decide(self, participant, values: dict):
        """A decision on the participant page (opt-out, maatwerk)."""
        self.step = "decide"
        url = reverse("participants:detail", args=[participant.pk])
        action = reverse("participants:decision", args=[participant.pk])
        return self.submit("klantmanager", url, values, action=action)

    def draw(self, regeling, size: int):
        self.step = "draw"
        values = {"regeling": regeling.pk, "size": size}
        return self.submit("klantmanager", reverse("participants:selection"), values)

    def create_plan(self, participant, start_on: date | None = None, **extra):
        self.step = "create_plan"
        url = reverse("plans:create", args=[participant.pk])
        return self.submit("klantmanager", url, {"start_on": start_on or "", **extra})

    def add_line(self, participant, category: str, creditor, amount_cents: int, **extra):
        self.step = f"add_line {category}"
        values = {
            "category": Option(category),
            "creditor": creditor.pk,
            "reference": extra.pop("reference", f"KLANT-{creditor.pk:05d}"),
            "amount": euros(amount_cents),
            **extra,
        }
        url = reverse("plans:add_line", args=[participant.pk])
        return self.submit("klantmanager", url, values)

    def sign_machtiging(self, participant, creditor, signed_on: date):
        self.step = f"sign_machtiging {creditor}"
        url = reverse("plans:machtiging", args=[participant.pk])
        return self.submit(
            "klantmanager", url, {"creditor": creditor.pk, "signed_on": signed_on, "line": ""}
        )

    def record_income(self, participant, kind: str, amount_cents: int, valid_from: date):
        self.step = f"record_income {kind}"
        url = reverse("plans:income", args=[participant.pk])
        values = {"kind": Option(kind), "amount": euros(amount_cents), "valid_from": valid_from}
        return self.submit("klantmanager", url, values)

    def run_month(self, region, month: date) -> MonthRun:
        """Prepare (preparer), approve (a second person), export, download the pain.001
        files and book (preparer) the run of `month`."""
        self.step = f"run {month:%Y-%m}: prepare"
        listing = self.page("preparer", reverse("payments:list"))
        start = [f for f in listing.forms if (f.get("action") or "") == reverse("payments:new")]
        if not start:
            self.fail("the run list has no form to start a run")
        query = self._fill(start[0], {"region": region.pk, "month": f"{month:%Y-%m}"})
        new_url = reverse("payments:new") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
        response = self.submit("preparer", new_url, {})
        pk = int(re.search(r"/betalingen/(\d+)/", response.redirect_url).group(1))
        detail = reverse("payments:detail", args=[pk])
        doc = self.page("preparer", detail)
        if doc.xpath(f"//form[starts-with(@action, '{detail}tekort/')]"):
            self.fail(f"the run has a shortfall to decide: {_text(doc)[:400]}")

        self.step = f"run {month:%Y-%m}: approve"
        self.post_button("approver", detail, reverse("payments:approve", args=[pk]))
        self.step = f"run {month:%Y-%m}: export"
        self.post_button("approver", detail, reverse("payments:export", args=[pk]))

        self.step = f"run {month:%Y-%m}: download"
        run = MonthRun(pk)
        doc = self.page("preparer", detail)
        links = sorted(
            {a.get("href") for a in doc.xpath(f"//a[starts-with(@href, '{detail}bestand/')]")}
        )
        if not links:
            self.fail("the run page links no pain.001 file")
        for link in links:
            download = self.get("preparer", link)
            run.payments += pain001_payments(b"".join(download.streaming_content))

        self.step = f"run {month:%Y-%m}: book"
        self.post_button("preparer", detail, reverse("payments:book", args=[pk]), {"confirm": True})
        return run

    def measure(self, participant, instrument: str, moment: str, rank: int, **extra):
        self.step = f"measure {moment}"
        url = reverse("measurements:participant", args=[participant.pk])
        values = {
            "instrument": Option(instrument),
            "moment": Option(moment),
            "measured_on": extra.pop("measured_on", self.today()),
            "level": Option(f"{instrument}: {rank}."),
            "perspective": Option(extra.pop("perspective", "klantmanager")),
            **extra,
        }
        return self.submit("klantmanager", url, values)

    def schedule(self, participant) -> dict[str, date]:
        """The due dates of the measurement moments as the measurements page lists them."""
        from ontzorg.measurements import services as measurements

        return {m.moment: m.due_on for m in measurements.schedule_for(participant)}

    def evaluate(self, participant, outcome: str, *, new_end_on=None, reason=None, **views):
        self.step = f"evaluate ({outcome})"
        url = reverse("trajectory:participant", args=[participant.pk])
        values = {
            "held_on": self.today(),
            "participant_view": views.get("participant_view", "Het gaat goed, ik betaal op tijd."),
            "coach_view": views.get("coach_view", "Post en rekeningen zijn op orde."),
            "case_worker_view": views.get("case_worker_view", "Geen achterstanden gezien."),
            "outcome": Option(outcome),
            "new_end_on": new_end_on or "",
            "reason": reason or "Besproken met deelnemer, coach en klantmanager.",
        }
        action = reverse("trajectory:evaluate", args=[participant.pk])
        return self.submit("klantmanager", url, values, action=action)

    def hand_back(self, participant, line_text: str, from_on: date, note: str = ""):
        self.step = f"hand_back {line_text}"
        url = reverse("trajectory:participant", args=[participant.pk])
        action = reverse("trajectory:hand_back", args=[participant.pk])
        values = {"line": Option(line_text), "from_on": from_on, "note": note}
        return self.submit("klantmanager", url, values, action=action)

    def record_job(self, participant, starts_on: date, employer: str, wages_cents: int):
        """Outflow to work, on the trajectory page ("Werk")."""
        self.step = "record_job"
        url = reverse("trajectory:participant", args=[participant.pk])
        action = reverse("trajectory:outflow", args=[participant.pk])
        values = {
            "starts_on": starts_on,
            "employer": employer,
            "kind": Option("betaald werk"),
            "hours_per_week": 32,
            "wages": euros(wages_cents),
        }
        return self.submit("klantmanager", url, values, action=action)

    def readiness(self, participant) -> str:
        """What the trajectory page says about the exit level (latest measurement)."""
        doc = self.page("klantmanager", reverse("trajectory:participant", args=[participant.pk]))
        found = doc.xpath("//p[contains(@class, 'outcome')]/following-sibling::p[1]")
        heads = doc.xpath("//p[contains(@class, 'outcome')]")
        return " ".join(_text(n) for n in heads[:1] + found[:1])

    def end_nazorg(self, day: date) -> None:
        """The daily command, run on `day` (the clock is moved there first)."""
        self.step = f"end_nazorg {day}"
        self.at(day)
        call_command("end_nazorg", stdout=_Null())

    def snapshot(self, region, name: str, on: date):
        """A measurement moment on `on` and its snapshot, by the projectleider."""
        from ontzorg.monitor.models import MeasurementMoment

        self.step = f"snapshot {name}"
        url = reverse("monitor:moments")
        self.submit("projectleider", url, {"region": region.pk, "name": name, "on": on}, action=url)
        moment = MeasurementMoment.objects.get(region=region, name=name)
        self.post_button("projectleider", url, reverse("monitor:build", args=[moment.pk]))
        return moment.snapshot

    @staticmethod
    def today() -> date:
        from django.utils import timezone

        return timezone.localdate()


class _Null:
    def write(self, *_args):
        pass

    def flush(self):
        pass
