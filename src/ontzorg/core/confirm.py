"""Confirm before acting: a form is filled in, shown again as a summary, and only done
when the user confirms. The one home of that pattern for every page that changes a
participant's plan or household (money included)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from ontzorg.core.money import euro, to_cents
from ontzorg.exceptions import Refused


class ConfirmableForm(forms.Form):
    """A form that is shown again as a summary (label, value) before the action is done.

    Fields in `on_confirm` (file uploads) are asked for on the confirmation page itself,
    because a file cannot travel along in a hidden field."""

    on_confirm: tuple[str, ...] = ()

    def summary(self) -> list[tuple[str, str]]:
        rows = []
        for name, field in self.fields.items():
            if name in self.on_confirm:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.BooleanField):
                value = _("yes") if value else _("no")
            elif value in (None, ""):
                continue
            elif isinstance(field, forms.ModelChoiceField):
                value = str(value)
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.DecimalField):
                value = euro(to_cents(value))
            elif hasattr(value, "strftime"):
                value = value.strftime("%d-%m-%Y")
            rows.append((str(field.label), str(value)))
        return rows


def confirmed_action(
    request,
    form: ConfirmableForm,
    *,
    participant,
    title: str,
    intro: str,
    perform: Callable[[dict], object],
    done: str,
    back_url: str,
    back_label: str,
    warnings: Callable[[dict], list[str]] | None = None,
):
    """Show `form`; when valid, the summary to confirm; when confirmed, `perform` it and go
    back to `back_url`. A refusal is shown on the form and changes nothing.
    `warnings(cleaned_data)` gives texts the confirmation page shows above the button."""
    context = {
        "participant": participant,
        "form": form,
        "title": title,
        "intro": intro,
        "back_url": back_url,
        "back_label": back_label,
    }
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "1":
            found = warnings(form.cleaned_data) if warnings else []
            return render(
                request, "confirm/confirm.html", {**context, "warnings": [w for w in found if w]}
            )
        try:
            perform(form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect(back_url)
    return render(request, "confirm/action.html", context, status=400 if form.is_bound else 200)
