from django import template

register = template.Library()


@register.simple_tag
def succession_waiting_count(user) -> int:
    """How many successions wait for this user's role (home tile)."""
    from crmr_procedures.succession.selectors import succession_waiting_count as count

    return count(user)
