"""Template tags of the CCMR procedure (home tile count)."""

from django import template

register = template.Library()


@register.simple_tag
def ccmr_inbox_count(user) -> int:
    from crmr_procedures.competence.selectors import ccmr_inbox

    return ccmr_inbox(user).count()
