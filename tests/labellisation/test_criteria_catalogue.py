"""Each mandatory criterion of the cahier des charges (2016 instruction, Annexe 1) blocks a labelling on its own
when it is not evidenced, and the refusal names it; one case per criterion, marked with the rules of the
text that the criterion carries (core/rules.yaml)."""

import pytest

from centres.models import CrcSepCentre
from core.workflow import TransitionRefused
from labellisation import services
from labellisation.models import CRITERIA_BY_CODE, Application
from tests.factories import ars_user

from .factories import make_application

pytestmark = pytest.mark.django_db

CASES = [
    pytest.param("regional_recourse", marks=[pytest.mark.rule("SEP-A1-1-recours-regional")], id="recours"),
    pytest.param(
        "care_offer",
        marks=[
            pytest.mark.rule("SEP-A1-2-1-hopital-de-jour"),
            pytest.mark.rule("SEP-A1-2-1-hospitalisation-complete"),
            pytest.mark.rule("SEP-A1-2-1-consultations-annonce"),
            pytest.mark.rule("SEP-A1-2-1-consultations-suivi"),
        ],
        id="offre-de-soins",
    ),
    pytest.param("etp_programmes", marks=[pytest.mark.rule("SEP-A1-2-1-programmes-etp")], id="etp"),
    pytest.param(
        "rcp",
        marks=[
            pytest.mark.rule("SEP-A1-2-1-rcp"),
            pytest.mark.rule("SEP-A1-2-1-concertation-therapeutique"),
            pytest.mark.rule("SEP-A1-2-1-therapies-complexes"),
        ],
        id="rcp",
    ),
    pytest.param(
        "ofsep_edmus",
        marks=[pytest.mark.rule("SEP-A1-2-4-ofsep-adherent"), pytest.mark.rule("SEP-A1-2-4-export-edmus")],
        id="ofsep",
    ),
    pytest.param("clinical_research", marks=[pytest.mark.rule("SEP-A1-2-4-recherche-clinique")], id="recherche"),
    pytest.param(
        "partnerships",
        marks=[
            pytest.mark.rule("SEP-A1-1-reseaux-territoriaux"),
            pytest.mark.rule("SEP-A1-2-2-lien-medecins-generalistes"),
            pytest.mark.rule("SEP-A1-2-2-partenariat-ssr"),
            pytest.mark.rule("SEP-A1-2-2-associations-patients"),
            pytest.mark.rule("SEP-A1-2-2-maison-usagers"),
        ],
        id="partenariats",
    ),
]


@pytest.mark.parametrize("code", CASES)
def test_a_mandatory_criterion_not_evidenced_blocks_the_labelling_and_is_named(code):
    app = make_application(state=Application.State.UNDER_REVIEW)
    app.criteria.filter(code=code).update(declared_fact="")
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=app, user=ars_user("53"))
    assert CRITERIA_BY_CODE[code].label in exc.value.reasons[0]
    assert Application.objects.get(pk=app.pk).state == Application.State.UNDER_REVIEW
    assert not CrcSepCentre.objects.exists()

    app.criteria.filter(code=code).update(declared_fact="Élément déclaré par l'établissement")
    assert services.application_label(application=app, user=ars_user("53")).state == Application.State.LABELLED
