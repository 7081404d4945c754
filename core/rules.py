"""The rules catalogue: every normative element of the two source texts (``core/rules.yaml``).

- :func:`catalogue` loads and validates the file once (cached) and gives typed access to the rules: by id,
  by text, paragraph, procedure or status, grouped by text and paragraph for the "Référentiel
  réglementaire" page.
- :func:`cite` appends " (règle ID)" to a blocking message; the ``rule_links`` template filter turns it
  into a link to the rule on the référentiel page.
- :func:`scan_rule_markers` reads the test tree statically (AST, nothing imported) and finds the
  ``@pytest.mark.rule("ID")`` markers: used by the meta-test (tests/core/test_rules_catalogue.py) and by
  ``make rules`` (``python -m core.rules``), which prints the coverage.

This module needs neither Django settings nor a database: ``make rules`` runs it on a bare checkout.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE_PATH = Path(__file__).resolve().parent / "rules.yaml"
TESTS_DIR = BASE_DIR / "tests"

APPLIED = "appliquée"
SHOWN = "affichée"
OUT_OF_SCOPE = "hors du champ"
TO_APPLY = "à appliquer"
STATUSES = (APPLIED, SHOWN, TO_APPLY, OUT_OF_SCOPE)

TEXTS = {
    "sep-2016": "Instruction CRC SEP (2016) — mesure 11 du plan maladies neuro-dégénératives 2014-2019",
    "crmr-2013": "Instruction DGOS/PF2/2013/308 du 29 juillet 2013 — centres de référence maladies rares",
}
PROCEDURES = {
    "labellisation": "Labellisation des CRC SEP",
    "succession": "Succession d'un coordonnateur de CRMR",
    "competence": "Création ou abrogation d'un centre de compétences",
    "activity_report": "Rapport annuel d'activité",
    "registry": "Registre et données de référence",
    "letters": "Courriers officiels",
    "none": "Hors procédure",
}
# DSFR badge modifier per status
STATUS_BADGES = {APPLIED: "success", SHOWN: "info", TO_APPLY: "warning", OUT_OF_SCOPE: "new"}

ID_PATTERN = re.compile(r"^(SEP|CRMR)-[A-Za-z0-9][A-Za-z0-9-]*$")
REQUIRED = ("id", "text", "paragraph", "quote", "procedure", "status")
OPTIONAL = ("where", "reason", "decision")


class CatalogueError(ValueError):
    """The catalogue file is malformed; ``problems`` lists every fault found, in French-free English."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    paragraph: str
    quote: str
    procedure: str
    status: str
    where: str = ""
    reason: str = ""
    decision: str = ""

    @property
    def text_label(self) -> str:
        return TEXTS[self.text]

    @property
    def procedure_label(self) -> str:
        return PROCEDURES[self.procedure]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def is_applied(self) -> bool:
        return self.status == APPLIED


def validate(entries: object) -> list[str]:
    """Every problem of the raw catalogue (an empty list when it is sound)."""
    if not isinstance(entries, list) or not entries:
        return ["the catalogue must hold a non-empty list under 'rules'"]
    problems = []
    seen: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: not a mapping")
            continue
        rule_id = entry.get("id")
        if isinstance(rule_id, str):
            where = rule_id
            seen[rule_id] += 1
        unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for name in REQUIRED + OPTIONAL:
            value = entry.get(name, "")
            if not isinstance(value, str):
                problems.append(f"{where}: '{name}' must be a string")
            elif name in REQUIRED and not value.strip():
                problems.append(f"{where}: missing '{name}'")
        if isinstance(rule_id, str) and rule_id and not ID_PATTERN.match(rule_id):
            problems.append(f"{where}: id must look like SEP-… or CRMR-… (letters, digits, dashes)")
        if entry.get("text") and entry.get("text") not in TEXTS:
            problems.append(f"{where}: unknown text {entry.get('text')!r} (one of {', '.join(TEXTS)})")
        if entry.get("procedure") and entry.get("procedure") not in PROCEDURES:
            problems.append(f"{where}: unknown procedure {entry.get('procedure')!r}")
        status = entry.get("status")
        if status and status not in STATUSES:
            problems.append(f"{where}: unknown status {status!r} (one of {', '.join(STATUSES)})")
        if status == OUT_OF_SCOPE and not str(entry.get("reason") or "").strip():
            problems.append(f"{where}: status '{OUT_OF_SCOPE}' needs a 'reason'")
        if status == APPLIED and not str(entry.get("where") or "").strip():
            problems.append(f"{where}: status '{APPLIED}' needs 'where' (the code applying it)")
    problems += [f"{rule_id}: duplicate id ({count} entries)" for rule_id, count in seen.items() if count > 1]
    return problems


class Catalogue:
    """The validated rules, in the file's order, with typed look-ups."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._by_id = {rule.id: rule for rule in self.rules}

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule:
        """The rule ``rule_id``; KeyError names the unknown id."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise KeyError(f"unknown rule id {rule_id!r} (see core/rules.yaml)") from None

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    def filter(
        self,
        *,
        text: str | None = None,
        paragraph: str | None = None,
        procedure: str | None = None,
        status: str | None = None,
    ) -> list[Rule]:
        return [
            r
            for r in self.rules
            if (text is None or r.text == text)
            and (paragraph is None or r.paragraph == paragraph)
            and (procedure is None or r.procedure == procedure)
            and (status is None or r.status == status)
        ]

    def grouped(self, rules: Iterable[Rule] | None = None) -> list[tuple[str, list[tuple[str, list[Rule]]]]]:
        """[(text, [(paragraph, [rules])])] in the order of the file (the order of the texts)."""
        texts: dict[str, dict[str, list[Rule]]] = {}
        for rule in self.rules if rules is None else rules:
            texts.setdefault(rule.text, {}).setdefault(rule.paragraph, []).append(rule)
        return [(text, list(paragraphs.items())) for text, paragraphs in texts.items()]


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate a catalogue file; :class:`CatalogueError` lists every problem."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    entries = data.get("rules") if isinstance(data, dict) else None
    problems = validate(entries)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(Rule(**{k: str(v).strip() for k, v in entry.items()}) for entry in entries)


@functools.cache
def catalogue() -> Catalogue:
    """The project's catalogue, loaded and validated once per process."""
    return load_catalogue()


def cite(rule_id: str) -> str:
    """ " (règle ID)" to append to a blocking message; the id must exist in the catalogue.

    The dossier templates render it as a link to the rule (``core.templatetags.rule_tags.rule_links``)."""
    return f" (règle {catalogue().get(rule_id).id})"


CITATION = re.compile(r"\(règle ((?:SEP|CRMR)-[A-Za-z0-9-]*[A-Za-z0-9])\)")


def cited_ids(message: str) -> list[str]:
    """The rule ids a message cites with :func:`cite`."""
    return CITATION.findall(str(message))


# --- Static scan of the test tree -------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    rule_id: str
    test: str  # "tests/path.py::name"
    line: int


def _is_rule_marker(node: ast.AST) -> bool:
    """``pytest.mark.rule(...)`` or ``mark.rule(...)``."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "rule"
        and (
            (isinstance(func.value, ast.Attribute) and func.value.attr == "mark")
            or (isinstance(func.value, ast.Name) and func.value.id == "mark")
        )
    )


def _marker_calls(node: ast.AST) -> Iterable[ast.Call]:
    for sub in ast.walk(node):
        if _is_rule_marker(sub):
            yield sub


def scan_file(path: Path, base: Path = BASE_DIR) -> tuple[list[Marker], list[str]]:
    """The rule markers of one test file and the problems found (a marker without one literal id)."""
    try:
        relative = path.relative_to(base).as_posix()
    except ValueError:
        relative = path.as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    markers: list[Marker] = []
    problems: list[str] = []

    def record(call: ast.Call, test: str) -> None:
        args = call.args
        if not args or call.keywords or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            problems.append(f"{relative}:{call.lineno}: a rule marker takes literal rule ids only")
            return
        for arg in args:
            markers.append(Marker(rule_id=arg.value, test=test, line=call.lineno))

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{node.name}"
                for decorator in node.decorator_list:
                    for call in _marker_calls(decorator):
                        record(call, f"{relative}::{name}")
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{name}::")
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
            ):
                for call in _marker_calls(node.value):
                    record(call, f"{relative}::{prefix or ''}*")
            else:
                # e.g. pytest.param(..., marks=pytest.mark.rule("ID")) inside a parametrize at module level
                for call in _marker_calls(node):
                    record(call, f"{relative}:{call.lineno}")

    visit(tree.body, "")
    return markers, problems


def scan_rule_markers(root: Path = TESTS_DIR, base: Path = BASE_DIR) -> tuple[list[Marker], list[str]]:
    """Every ``@pytest.mark.rule`` marker of the test tree (files ``test_*.py``), and the problems found."""
    markers: list[Marker] = []
    problems: list[str] = []
    for path in sorted(root.rglob("test_*.py")):
        found, faults = scan_file(path, base)
        markers += found
        problems += faults
    return markers, problems


def tests_by_rule(markers: Iterable[Marker]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    for marker in markers:
        if marker.test not in result[marker.rule_id]:
            result[marker.rule_id].append(marker.test)
    return dict(result)


# --- Coverage (make rules) ------------------------------------------------------------------------


def coverage(cat: Catalogue | None = None, markers: list[Marker] | None = None) -> dict:
    """The figures ``make rules`` prints and the meta-test checks."""
    cat = cat or catalogue()
    if markers is None:
        markers, _problems = scan_rule_markers()
    tested = tests_by_rule(markers)
    return {
        "total": len(cat),
        "by_status": Counter(r.status for r in cat),
        "by_text": {text: Counter(r.status for r in cat.filter(text=text)) for text in TEXTS},
        "by_paragraph": [
            (text, paragraph, Counter(r.status for r in rules))
            for text, groups in cat.grouped()
            for paragraph, rules in groups
        ],
        "applied_without_test": [r for r in cat if r.is_applied and r.id not in tested],
        "unknown_ids": sorted({m.rule_id for m in markers if m.rule_id not in cat}),
        "tested": tested,
    }


def _counts(counter: Counter) -> str:
    return ", ".join(f"{status} {counter[status]}" for status in STATUSES if counter.get(status))


def coverage_report() -> str:
    cat = catalogue()
    markers, problems = scan_rule_markers()
    cov = coverage(cat, markers)
    lines = [f"Référentiel réglementaire : {cov['total']} règles (core/rules.yaml)", ""]
    lines.append("Par statut :")
    lines += [f"  {status:<14} {cov['by_status'].get(status, 0):>4}" for status in STATUSES]
    lines.append("")
    lines.append("Par texte :")
    for text, counter in cov["by_text"].items():
        lines.append(f"  {text:<10} {sum(counter.values()):>4}  ({_counts(counter)})")
    lines.append("")
    lines.append("Par paragraphe :")
    for text, paragraph, counter in cov["by_paragraph"]:
        lines.append(f"  [{text}] {paragraph} : {sum(counter.values())} ({_counts(counter)})")
    lines.append("")
    applied = [r for r in cat if r.is_applied]
    lines.append(
        f"Règles appliquées couvertes par un test : {len(applied) - len(cov['applied_without_test'])}/{len(applied)}"
        f" ({len(markers)} marqueurs @pytest.mark.rule)"
    )
    if cov["applied_without_test"]:
        lines.append("Règles « appliquée » SANS TEST :")
        lines += [f"  - {r.id} ({r.paragraph})" for r in cov["applied_without_test"]]
    else:
        lines.append("Aucune règle « appliquée » sans test.")
    to_apply = cat.filter(status=TO_APPLY)
    if to_apply:
        lines.append("")
        lines.append(f"Règles « {TO_APPLY} » ({len(to_apply)}) :")
        lines += [f"  - {r.id} ({r.paragraph})" for r in to_apply]
    if cov["unknown_ids"] or problems:
        lines.append("")
        lines.append("PROBLÈMES dans les tests :")
        lines += [f"  - marqueur d'une règle inconnue : {rule_id}" for rule_id in cov["unknown_ids"]]
        lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)


def main() -> int:
    try:
        print(coverage_report())
    except CatalogueError as exc:
        print("Le catalogue core/rules.yaml est invalide :", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
