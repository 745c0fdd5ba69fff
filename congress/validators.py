"""Validators for Chinese data the registry keeps."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_mobile(value: str) -> str:
    """Return an 11-digit mainland mobile number, or raise ValidationError in Chinese."""
    raw = (value or "").strip().replace(" ", "").replace("-", "")
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s” is not a phone number."), params={"value": value}) from exc
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,)
    ):
        raise ValidationError(_("“%(value)s” is not a valid mainland China mobile number."), params={"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


def validate_mobile(value: str) -> None:
    if value:
        normalize_mobile(value)
