"""The successor's CV follows the DGOS template (2013 instruction, Annexe 1, note 1 and the CV model): every
heading of the template is required, and the proposal letter is a piece of the dossier."""

import pytest
from django.core.exceptions import ValidationError

from core.workflow import TransitionRefused
from crmr_procedures.succession.forms import CvForm
from crmr_procedures.succession.models import Document, State, SuccessorCv

from .helpers import CV_DATA, Journey

pytestmark = pytest.mark.django_db

TEMPLATE_FIELDS = [
    pytest.param("centre_name", marks=pytest.mark.rule("CRMR-A1-cv-identification-centre"), id="centre-nom"),
    pytest.param(
        "establishment_name", marks=pytest.mark.rule("CRMR-A1-cv-identification-centre"), id="centre-etablissement"
    ),
    pytest.param("last_name", marks=pytest.mark.rule("CRMR-A1-cv-identification-coordonnateur"), id="nom"),
    pytest.param("first_name", marks=pytest.mark.rule("CRMR-A1-cv-identification-coordonnateur"), id="prenom"),
    pytest.param("address", marks=pytest.mark.rule("CRMR-A1-cv-identification-coordonnateur"), id="adresse"),
    pytest.param("phone", marks=pytest.mark.rule("CRMR-A1-cv-identification-coordonnateur"), id="telephone"),
    pytest.param("email", marks=pytest.mark.rule("CRMR-A1-cv-identification-coordonnateur"), id="courriel"),
    pytest.param("specialty_and_titles", marks=pytest.mark.rule("CRMR-A1-cv-specialite-titres"), id="specialite"),
    pytest.param("experience", marks=pytest.mark.rule("CRMR-A1-cv-experience"), id="experience"),
]


@pytest.mark.parametrize("field", TEMPLATE_FIELDS)
def test_each_heading_of_the_dgos_cv_template_is_required(field):
    data = {**CV_DATA, field: ""}
    form = CvForm(data)
    assert not form.is_valid()
    assert field in form.errors
    assert CvForm(CV_DATA).is_valid()
    with pytest.raises(ValidationError):
        SuccessorCv(succession=Journey().s, **data).full_clean()


@pytest.mark.rule("CRMR-A1-piece-proposition")
def test_dossier_without_the_proposal_letter_cannot_be_submitted_and_names_it():
    j = Journey()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    j.s.documents.filter(kind=Document.Kind.PROPOSAL_LETTER).delete()
    with pytest.raises(TransitionRefused) as exc:
        j.act("submit_dossier", user=j.coordinator)
    assert str(Document.Kind.PROPOSAL_LETTER.label) in exc.value.reasons[0]
    assert j.refresh().state == State.NOTICE_FORWARDED
