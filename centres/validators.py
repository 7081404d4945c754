"""FINESS numbers: 9 characters, the last a check digit (Luhn key over the first 8)."""

import re

from django.core.exceptions import ValidationError

_FINESS_RE = re.compile(r"^(\d{2}|2A|2B)\d{7}$")


def finess_check_digit_ok(number: str) -> bool:
    """Luhn check over the 9 characters; Corsican 2A/2B count as 20 (see docs/decisions.md)."""
    digits = (
        number.upper().replace("2A", "20", 1).replace("2B", "20", 1) if number[:2].upper() in ("2A", "2B") else number
    )
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_finess(value: str) -> None:
    value = (value or "").strip().upper()
    if len(value) != 9:
        raise ValidationError(
            f"Le numéro FINESS doit comporter 9 caractères ({len(value)} saisis).", code="finess_length"
        )
    if not _FINESS_RE.match(value):
        raise ValidationError(
            "Le numéro FINESS ne contient que des chiffres (2A ou 2B en tête pour la Corse).", code="finess_format"
        )
    if not finess_check_digit_ok(value):
        raise ValidationError(
            f"Le numéro FINESS {value} est invalide : la clé de contrôle ne correspond pas.",
            code="finess_key",
        )
