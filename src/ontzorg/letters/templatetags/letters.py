"""``{% load letters %}``: render part of a letter in another language.

``{% in_language code %}...{% endin_language %}`` renders its content with ``code`` as the
active language (translations, and the ``locale_format`` filters), so one page can hold the
participant's language beside Dutch. ``|text_direction`` gives ``rtl`` or ``ltr``, and
``|letter_languages`` the languages a participant's letter is shown in."""

from django import template
from django.utils import translation

from ontzorg.core import languages

register = template.Library()


class InLanguageNode(template.Node):
    def __init__(self, code, nodelist):
        self.code = code
        self.nodelist = nodelist

    def render(self, context):
        with translation.override(self.code.resolve(context) or languages.DEFAULT_LANGUAGE):
            return self.nodelist.render(context)


@register.tag
def in_language(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% in_language code %} takes one argument.")
    nodelist = parser.parse(("endin_language",))
    parser.delete_first_token()
    return InLanguageNode(parser.compile_filter(bits[1]), nodelist)


@register.filter
def text_direction(code) -> str:
    return languages.text_direction(code)


@register.filter
def letter_languages(code) -> list[str]:
    """The participant's language and Dutch beside it; Dutch once when that is theirs."""
    code = code if code in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE
    return [code] if code == languages.DEFAULT_LANGUAGE else [code, languages.DEFAULT_LANGUAGE]
