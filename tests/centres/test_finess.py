"""FINESS numbers: 9 characters, Luhn check digit, Corsican 2A/2B; errors in French."""

import pytest
from django.core.exceptions import ValidationError

from centres.models import Establishment
from centres.validators import validate_finess


@pytest.mark.parametrize("number", ["750712184", "350005179", "690781810", "060785011", "970408589"])
def test_finess_with_a_valid_check_digit_is_accepted(number):
    validate_finess(number)


@pytest.mark.parametrize("number", ["2A0000016", "2B0000107", "2a0000016"])
def test_corsican_finess_2a_2b_is_accepted(number):
    validate_finess(number)


def test_finess_with_a_wrong_check_digit_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as error:
        validate_finess("750712185")
    assert error.value.code == "finess_key"
    assert "clé de contrôle ne correspond pas" in error.value.messages[0]


def test_corsican_finess_with_a_wrong_key_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_finess("2A0000017")
    assert error.value.code == "finess_key"


@pytest.mark.parametrize("number", ["75071218", "7507121840", ""])
def test_finess_of_the_wrong_length_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_finess(number)
    assert error.value.code == "finess_length"
    assert "doit comporter 9 caractères" in error.value.messages[0]


@pytest.mark.parametrize("number", ["75O712184", "ABCDEFGHI", "2C0000016"])
def test_finess_with_letters_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_finess(number)
    assert error.value.code == "finess_format"
    assert "ne contient que des chiffres" in error.value.messages[0]


@pytest.mark.django_db
def test_an_establishment_with_a_wrong_finess_does_not_validate(chu_rennes):
    establishment = Establishment(
        finess_ej="350005178", name="CHU fictif", city="Rennes", region=chu_rennes.region, kind="CHU"
    )
    with pytest.raises(ValidationError) as error:
        establishment.full_clean()
    assert "finess_ej" in error.value.message_dict
    assert "invalide" in error.value.message_dict["finess_ej"][0]
