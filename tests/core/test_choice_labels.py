"""core.models.ChoiceLabels: the cached choice labels give exactly what Django's own lookup gives."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.models import ChoiceLabels

CHOICE_MODELS = [m for m in apps.get_models() if issubclass(m, ChoiceLabels)]


def _choice_fields(model):
    return [f for f in model._meta.concrete_fields if f.choices]


def test_every_model_with_choice_fields_in_lists_uses_choice_labels():
    names = {m._meta.label for m in CHOICE_MODELS}
    for label in (
        "crmr_procedures.Succession",
        "crmr_procedures.CcmrRequest",
        "labellisation.Application",
        "letters.Letter",
        "activity_reports.ActivityReport",
        "centres.Crmr",
        "centres.Establishment",
    ):
        assert label in names


@pytest.mark.parametrize("model", CHOICE_MODELS, ids=lambda m: m._meta.label)
def test_choice_labels_match_djangos_display_for_every_value(model):
    for field in _choice_fields(model):
        for value, _label in field.flatchoices:
            obj = model(**{field.attname: value})  # FSM fields are protected: set at construction
            ours = getattr(obj, f"get_{field.name}_display")()
            django = models.Model._get_FIELD_display(obj, field)
            assert ours == django
            assert isinstance(ours, str)


def test_unknown_value_is_shown_as_is():
    from crmr_procedures.succession.models import Succession

    obj = Succession(state="état-inconnu")
    assert obj.get_state_display() == "état-inconnu"


def test_labels_follow_the_active_language():
    from crmr_procedures.succession.models import Succession

    obj = Succession(state="draft")
    with translation.override("fr"):
        french = obj.get_state_display()
    with translation.override("en"):
        english = obj.get_state_display()
    # no English catalogue ships: both read the French source labels, each cached under its own language
    assert french == english == str(Succession._meta.get_field("state").flatchoices[0][1])
