"""The rules catalogue (core/rules.yaml) is sound and every rule it says the code applies is proven by a
test marked ``@pytest.mark.rule("ID")``; no marker names an unknown rule."""

import textwrap

import pytest

from core import rules
from core.rules import APPLIED, OUT_OF_SCOPE, TEXTS, CatalogueError, catalogue, load_catalogue, scan_rule_markers

# Ids agreed between the engineers before the catalogue existed (briefs): they must stay stable.
AGREED_IDS = {
    "SEP-A2-tranche2-previsionnel",
    "SEP-A2-quota-region-tranche",
    "SEP-A1-1-chu",
    "SEP-A1-3-coordinateur-neurologue",
    "SEP-A1-3-coordinateur-3-ans",
    "SEP-A1-3-coordinateur-recherche",
    "SEP-A1-3-infirmiere-etp",
    "SEP-A1-3-infirmiere-accueil",
    "SEP-A1-2-2-outils-coordination",
    "SEP-A1-4-rapport-annuel",
    "SEP-A1-4-rapport-contenu",
    "SEP-entete-dgos-r4",
    "CRMR-entete-dgos-pf2",
    "CRMR-A1-preavis-6-mois",
    "CRMR-A1-preavis-destinataires",
    "CRMR-A1-ordre-etapes",
    "CRMR-A1-mig-accord",
    "CRMR-A1-cas-particuliers-seance",
}


@pytest.fixture(scope="module")
def scan():
    return scan_rule_markers()


def test_the_project_catalogue_is_valid_and_covers_both_texts():
    cat = catalogue()
    assert len(cat) >= 100
    assert {rule.text for rule in cat} == set(TEXTS)
    for rule in cat:
        assert rule.quote.strip() and rule.paragraph.strip()
        if rule.status == OUT_OF_SCOPE:
            assert rule.reason.strip(), rule.id


def test_the_agreed_ids_are_in_the_catalogue():
    assert AGREED_IDS - catalogue().ids == set()


def test_every_applied_rule_has_a_test(scan):
    markers, _problems = scan
    tested = {m.rule_id for m in markers}
    untested = sorted(r.id for r in catalogue() if r.status == APPLIED and r.id not in tested)
    assert untested == [], f"Règles « appliquée » sans test marqué @pytest.mark.rule : {untested}"


def test_every_marker_names_a_rule_of_the_catalogue(scan):
    markers, problems = scan
    unknown = sorted({f"{m.rule_id} ({m.test})" for m in markers if m.rule_id not in catalogue()})
    assert unknown == [], f"Marqueurs de règles inconnues : {unknown}"
    assert problems == []


def test_the_catalogue_is_loaded_once():
    assert catalogue() is catalogue()


def test_typed_access_by_id_text_paragraph_procedure_and_status():
    cat = catalogue()
    rule = cat.get("CRMR-A1-preavis-6-mois")
    assert (rule.text, rule.procedure) == ("crmr-2013", "succession")
    assert "6 mois" in rule.quote
    assert rule in cat.filter(text="crmr-2013", procedure="succession", paragraph=rule.paragraph)
    assert all(r.status == APPLIED for r in cat.filter(status=APPLIED))
    with pytest.raises(KeyError, match="NOPE"):
        cat.get("SEP-NOPE")
    grouped = dict(cat.grouped())
    assert list(grouped) == ["sep-2016", "crmr-2013"]
    assert any(paragraph == rule.paragraph for paragraph, _rules in grouped["crmr-2013"])


def test_cite_appends_the_rule_id_and_refuses_an_unknown_one():
    assert rules.cite("SEP-A2-quota-region-tranche") == " (règle SEP-A2-quota-region-tranche)"
    assert rules.cited_ids("Refusé (règle SEP-A2-quota-region-tranche).") == ["SEP-A2-quota-region-tranche"]
    with pytest.raises(KeyError):
        rules.cite("SEP-inconnue")


# --- The validation itself, on small catalogues written for the test --------------------------------

GOOD = """
  - id: SEP-A1-x
    text: sep-2016
    paragraph: Annexe 1 §1
    quote: "implanté au sein d'un CHU"
    procedure: labellisation
    status: appliquée
    where: labellisation.services
"""


def _load(tmp_path, body):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n" + textwrap.dedent(body), encoding="utf-8")
    return load_catalogue(path)


def test_a_sound_small_catalogue_loads(tmp_path):
    assert _load(tmp_path, GOOD).get("SEP-A1-x").status == APPLIED


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (GOOD + GOOD, "duplicate id"),
        (GOOD.replace('quote: "implanté au sein d\'un CHU"', 'quote: ""'), "missing 'quote'"),
        (GOOD.replace("    paragraph: Annexe 1 §1\n", ""), "missing 'paragraph'"),
        (GOOD.replace("status: appliquée", "status: hors du champ"), "needs a 'reason'"),
        (GOOD.replace("status: appliquée", "status: peut-être"), "unknown status"),
        (GOOD.replace("text: sep-2016", "text: sep-2099"), "unknown text"),
        (GOOD.replace("procedure: labellisation", "procedure: cuisine"), "unknown procedure"),
        (GOOD.replace("id: SEP-A1-x", "id: regle 1"), "id must look like"),
        (GOOD.replace("    where: labellisation.services\n", ""), "needs 'where'"),
        (GOOD + "    colour: blue\n", "unknown field"),
    ],
)
def test_a_malformed_catalogue_is_refused_naming_the_problem(tmp_path, body, problem):
    with pytest.raises(CatalogueError) as exc:
        _load(tmp_path, body)
    assert any(problem in p for p in exc.value.problems), exc.value.problems


def test_the_scanner_reads_markers_without_importing_the_tests(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_sample.py").write_text(
        textwrap.dedent(
            """
            import pytest
            import module_that_does_not_exist  # never imported by the scanner

            pytestmark = [pytest.mark.rule("SEP-module")]

            @pytest.mark.rule("SEP-a")
            @pytest.mark.rule("SEP-b")
            def test_one():
                pass

            class TestGroup:
                @pytest.mark.rule("CRMR-c")
                def test_two(self):
                    pass

            @pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.rule("CRMR-d"))])
            def test_three(x):
                pass

            @pytest.mark.rule(RULE_ID)
            def test_four():
                pass
            """
        ),
        encoding="utf-8",
    )
    (tests / "helpers.py").write_text('import pytest\nX = pytest.mark.rule("SEP-ignored")\n', encoding="utf-8")
    markers, problems = scan_rule_markers(tests, base=tmp_path)
    found = {(m.rule_id, m.test) for m in markers}
    assert ("SEP-a", "tests/test_sample.py::test_one") in found
    assert ("SEP-b", "tests/test_sample.py::test_one") in found
    assert ("CRMR-c", "tests/test_sample.py::TestGroup::test_two") in found
    assert ("CRMR-d", "tests/test_sample.py::test_three") in found
    assert ("SEP-module", "tests/test_sample.py::*") in found
    assert "SEP-ignored" not in {m.rule_id for m in markers}
    assert len(problems) == 1 and "literal rule ids" in problems[0]


def test_make_rules_report_prints_the_coverage(capsys):
    assert rules.main() == 0
    out = capsys.readouterr().out
    assert "Par statut :" in out and "Par texte :" in out and "Par paragraphe :" in out
    assert "Aucune règle « appliquée » sans test." in out
    for rule in catalogue().filter(status=rules.TO_APPLY):
        assert rule.id in out  # the rules still to apply are listed
