"""Accent-insensitive search, in one home: how text is folded for searching, and a model
field that keeps a folded copy of a row's names.

``fold`` writes text in lower-case ASCII (``anyascii``): "Al-Zahrā" with its hamza sign
(U+02BE) -> "al-zahra'",
"Tesfaý" -> "tesfay", "Müller" -> "muller", and names in another script transliterated
("ተስፋይ" -> "tesfay"). A search folds every word it is given and looks for each in the
folded column (`contains_all`), so it works the same on SQLite and PostgreSQL without
database extensions, and an index-free ``LIKE`` on one short column stays cheap.

``SearchField`` is that folded column: it is filled from its ``sources`` whenever Django
writes the row (``save`` and ``bulk_create`` both call ``pre_save``). A ``save`` with
``update_fields`` must name it too when it names a source (`with_search_fields`); a
migration that adds one fills it for the existing rows with `fold`."""

import re

from anyascii import anyascii
from django.db import models
from django.db.models import Q

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """`text` for comparing in a search: lower-case ASCII, single spaces."""
    return _SPACES.sub(" ", anyascii(text or "")).strip().lower()


def words(text: str) -> list[str]:
    """The folded words of a search, without empty ones."""
    return [word for word in fold(text).split(" ") if word]


def contains_all(field: str, text: str) -> Q:
    """Every word of `text` occurs in the folded column `field` (a path such as
    ``participant__search_name``); no words: everything."""
    query = Q()
    for word in words(text):
        query &= Q(**{f"{field}__contains": word})
    return query


class SearchField(models.CharField):
    """A folded copy of the model's `sources` fields, for searching; not for showing."""

    def __init__(self, *args, sources: tuple[str, ...] = (), **kwargs):
        self.sources = tuple(sources)
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        return name, path, args, kwargs

    def value_from(self, instance) -> str:
        text = " ".join(str(getattr(instance, source) or "") for source in self.sources)
        return fold(text)[: self.max_length]

    def pre_save(self, instance, add):
        value = self.value_from(instance)
        setattr(instance, self.attname, value)
        return value


def with_search_fields(model, update_fields):
    """`update_fields` of a ``save`` with the model's search fields added when a source of
    theirs is among them (None, every field, stays None)."""
    if update_fields is None:
        return None
    names = set(update_fields)
    for field in model._meta.concrete_fields:
        if isinstance(field, SearchField) and names & set(field.sources):
            names.add(field.name)
    return names


class FoldedAdminSearch:
    """For a ModelAdmin whose `search_fields` hold a SearchField: the search term as typed
    (for the other fields) or folded (for the SearchField) finds a row."""

    def get_search_results(self, request, queryset, search_term):
        typed, duplicates = super().get_search_results(request, queryset, search_term)
        folded, more = super().get_search_results(request, queryset, fold(search_term))
        return typed | folded, duplicates or more
