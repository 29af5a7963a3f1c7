"""Validation of BSN (11-proof), IBAN (mod 97, country format) and the account holder's name
(the SEPA character set) with Dutch messages."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.nl import bsn as stdnum_bsn

from ontzorg.payments import sepa


def normalise_bsn(value: str) -> str:
    return "".join(ch for ch in str(value) if not ch.isspace() and ch not in ".-")


def validate_bsn(value: str) -> None:
    compact = normalise_bsn(value)
    if len(compact) != 9:
        # stdnum pads short numbers with zeros; a case worker who typed too few digits
        # should hear that, not that the 11-proof fails.
        raise ValidationError(
            _("A BSN has 9 digits; %(value)s has %(count)d."),
            code="bsn_length",
            params={"value": compact, "count": len(compact)},
        )
    try:
        stdnum_bsn.validate(compact)
    except InvalidLength:
        raise ValidationError(
            _("A BSN has 9 digits; %(value)s has %(count)d."),
            code="bsn_length",
            params={"value": compact, "count": len(compact)},
        ) from None
    except InvalidFormat:
        if set(compact) == {"0"}:
            # stdnum calls nine zeros a format error; the digits are fine, the number is not.
            raise ValidationError(
                _("000000000 is not a valid BSN: a BSN does not consist of zeros only."),
                code="bsn_zero",
            ) from None
        raise ValidationError(_("A BSN consists of digits only."), code="bsn_format") from None
    except InvalidChecksum:
        raise ValidationError(
            _("%(value)s is not a valid BSN: the eleven test fails. Check the digits."),
            code="bsn_checksum",
            params={"value": compact},
        ) from None


def normalise_iban(value: str) -> str:
    return "".join(str(value).split()).upper()


def validate_iban(value: str) -> None:
    try:
        IBAN(normalise_iban(value))
    except SchwiftyException as exc:
        name = type(exc).__name__
        if name == "InvalidChecksumDigits":
            message = _("The check digits of this IBAN are not correct. Check the digits.")
        elif name in ("InvalidLength", "InvalidStructure", "InvalidBBANChecksum"):
            message = _("This IBAN does not have the right structure for its country.")
        elif name == "InvalidCountryCode":
            message = _("This IBAN does not start with a known country code.")
        else:
            message = _("This is not a valid IBAN.")
        raise ValidationError(message, code="iban_invalid") from None


def validate_account_holder_name(value: str) -> None:
    """The name as the bank knows it: only the SEPA Latin set (``payments.sepa``)."""
    problem = sepa.name_problem(value)
    if problem:
        raise ValidationError(
            _("The account holder's name %(problem)s.") % {"problem": problem},
            code="account_holder_name",
        )


validate_bic = RegexValidator(
    r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$",
    gettext_lazy("A BIC has 8 or 11 characters, such as BNGHNL2G."),
)
