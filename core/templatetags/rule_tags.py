"""Template helpers of the rules catalogue (core/rules.yaml).

- ``{% procedure_rules "labellisation" %}``: the compact list of the rules a procedure applies, linking to
  the "Référentiel réglementaire" page (one line on each dossier page).
- ``{{ message|rule_links }}``: a blocking message that cites a rule with ``core.rules.cite`` shows the
  citation as a link to the rule.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.rules import APPLIED, CITATION, PROCEDURES, catalogue

register = template.Library()


@register.inclusion_tag("includes/procedure_rules.html")
def procedure_rules(procedure: str) -> dict:
    if procedure not in PROCEDURES:
        raise template.TemplateSyntaxError(f"procedure_rules: unknown procedure {procedure!r}")
    return {
        "procedure": procedure,
        "procedure_label": PROCEDURES[procedure],
        "rules": catalogue().filter(procedure=procedure, status=APPLIED),
        "referentiel_url": reverse("referentiel"),
    }


@register.filter
def rule_links(value) -> str:
    """Escape ``value`` and turn each "(règle ID)" of a known rule into a link to the référentiel."""
    text = str(conditional_escape(value))
    url = reverse("referentiel")
    rules = catalogue()

    def link(match) -> str:
        rule_id = match.group(1)
        if rule_id not in rules:
            return match.group(0)
        return format_html('(règle <a href="{}#{}">{}</a>)', url, rule_id, rule_id)

    return mark_safe(CITATION.sub(link, text))  # the text was escaped above
