"""The fixed terms of participant letters, one home: the names of the fixed-cost categories as
a participant reads them, translated with the glossary (docs/participant-glossary.md). Staff
pages keep the regeling's category labels; letters and overviews use these."""

from django.utils.translation import pgettext_lazy

from ontzorg.regelingen.constants import CostCategory

CATEGORY_LABELS = {
    CostCategory.HUUR: pgettext_lazy("fixed cost", "Rent"),
    CostCategory.ENERGIE: pgettext_lazy("fixed cost", "Energy (gas and electricity)"),
    CostCategory.WATER: pgettext_lazy("fixed cost", "Water"),
    CostCategory.ZORGVERZEKERING: pgettext_lazy("fixed cost", "Health insurance"),
    CostCategory.TELECOM: pgettext_lazy("fixed cost", "Internet, TV and phone"),
    CostCategory.VERZEKERING: pgettext_lazy("fixed cost", "Liability and contents insurance"),
    CostCategory.GEMEENTEBELASTING: pgettext_lazy("fixed cost", "Municipal taxes"),
    CostCategory.KINDEROPVANG: pgettext_lazy("fixed cost", "Childcare"),
    CostCategory.OVERIG: pgettext_lazy("fixed cost", "Other"),
}


def category_label(category: str):
    """The participant's name of a fixed-cost category, lazy: it reads in the language active
    when it is rendered, so one row serves both halves of a bilingual letter."""
    return CATEGORY_LABELS.get(category, category)
