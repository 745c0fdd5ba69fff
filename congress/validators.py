"""Validators for Chinese data the registry keeps."""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

# 11-digit public mobile segments MIIT has allocated that phonenumbers' metadata does not list
# as mobile: 149 (China Telecom's data-card segment, beside 145 and 147 which it does list).
EXTRA_MOBILE_SEGMENTS = re.compile(r"^149\d{8}$")


def normalize_mobile(value: str) -> str:
    """Return an 11-digit mainland mobile number, or raise ValidationError in Chinese. Spaces,
    dashes, dots, brackets, full-width digits and a +86 prefix are accepted as people write
    them (137 0231 7759, 137-0231-7759, +86 13702317759)."""
    raw = re.sub(r"[\s\-.()]", "", unicodedata.normalize("NFKC", value or ""))
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s” is not a phone number."), params={"value": value}) from exc
    national = str(number.national_number)
    if number.country_code == 86 and EXTRA_MOBILE_SEGMENTS.match(national):
        return national
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,)
    ):
        raise ValidationError(_("“%(value)s” is not a valid mainland China mobile number."), params={"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


def normalize_id_number(value: str) -> str:
    """Return an 18-character citizen ID number (公民身份号码) with its check digit verified, or
    raise ValidationError in Chinese. An old 15-digit number is converted to its 18-character
    form (the century 19 put in, the check digit computed)."""
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()
    if re.fullmatch(r"\d{15}", text):
        text = text[:6] + "19" + text[6:]
        text += ric.calc_check_digit(text + "0")  # the function reads all but the last character
    # Not ric.validate: it also requires the region code to have existed in the year of birth,
    # but numbers carry the code of the county that issued them (371526 for someone born in
    # 高唐县 in 1962, though the code dates from 1997), so real numbers would be refused.
    if len(text) != 18 or not text[:17].isdigit() or not re.fullmatch(r"[\dX]", text[17]):
        raise ValidationError(
            _("“%(value)s” is not a citizen ID number (18 characters, or 15 digits for an old one)."),
            params={"value": value},
        )
    if text[17] != ric.calc_check_digit(text):
        raise ValidationError(
            _("“%(value)s”: the check digit (last character) is wrong; check the number."), params={"value": value}
        )
    try:
        ric.get_birth_date(text)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("“%(value)s” does not hold a valid date of birth; check the number."), params={"value": value}
        ) from exc
    return text


def validate_id_number(value: str) -> None:
    if value:
        normalize_id_number(value)


def validate_mobile(value: str) -> None:
    if value:
        normalize_mobile(value)
