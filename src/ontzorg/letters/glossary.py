"""The fixed terms of participant letters per language: wherever the English term occurs in a
message id of the letters app, its translation uses the term given here (checked by
tests/test_translations.py; explained in docs/participant-glossary.md).

Each term is the form that must occur in the translation: a stem where the language adds
endings (Turkish "sabit gider" in "sabit giderleriniz"). Dutch names of Dutch arrangements stay
in brackets beside the translation where participants meet them on other letters
(zorgtoeslag, machtiging, leefgeld); "ontzorgen" is the name of the arrangement in every
language."""

# Turkish words have a dotless i (U+0131), not a Latin i typed by mistake.
# ruff: noqa: RUF001

# English term (as in the message ids) -> language -> term in the translation.
TERMS = {
    "fixed costs": {
        "nl": "vaste lasten",
        "en": "fixed costs",
        "ar": "المصاريف الثابتة",
        "ti": "ቀወምቲ ክፍሊታት",
        "fa": "مصارف ثابت",
        "tr": "sabit gider",
    },
    "rent": {"nl": "huur", "en": "rent", "ar": "الإيجار", "ti": "ክራይ", "fa": "کرایه", "tr": "kira"},
    "living allowance": {
        "nl": "leefgeld",
        "en": "living allowance",
        "ar": "مصروف المعيشة",
        "ti": "ገንዘብ መነባብሮ",
        "fa": "پول مصارف روزمره",
        "tr": "geçim parası",
    },
    "savings pot": {
        "nl": "spaarpotje",
        "en": "savings pot",
        "ar": "صندوق التوفير",
        "ti": "ሳንዱቕ ቍጠባ",
        "fa": "صندوق پس‌انداز",
        "tr": "birikim kumbara",
    },
    "benefit": {
        "nl": "uitkering",
        "en": "benefit",
        "ar": "الإعانة",
        "ti": "ማሕበራዊ ሓገዝ",
        "fa": "کمک مالی",
        "tr": "sosyal yardım",
    },
    "health care allowance": {
        "nl": "zorgtoeslag",
        "en": "health care allowance",
        "ar": "بدل الرعاية الصحية (zorgtoeslag)",
        "ti": "ናይ ጥዕና ሓገዝ (zorgtoeslag)",
        "fa": "کمک‌هزینه بیمه صحی (zorgtoeslag)",
        "tr": "sağlık sigortası yardımı (zorgtoeslag)",
    },
    "authorisation": {
        "nl": "machtiging",
        "en": "authorisation",
        "ar": "التفويض (machtiging)",
        "ti": "ፍቓድ (machtiging)",
        "fa": "اجازه‌نامه (machtiging)",
        "tr": "yetki belgesi (machtiging)",
    },
    "returned by the bank": {
        "nl": "teruggekomen",
        "en": "returned by the bank",
        "ar": "أعاده البنك",
        "ti": "ብባንኪ ተመሊሱ",
        "fa": "برگشت",
        "tr": "banka tarafından iade",
    },
    "paid back": {
        "nl": "terugbetaald",
        "en": "paid back",
        "ar": "أعيد دفعه",
        "ti": "ተመሊሱ ተኸፊሉ",
        "fa": "پس پرداخت شد",
        "tr": "geri ödendi",
    },
    "ontzorgen": {code: "ontzorgen" for code in ("nl", "en", "ar", "ti", "fa", "tr")},
}
