from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def labellisation_awaiting(user) -> int:
    """Number of CRC SEP dossiers waiting for ``user`` (home tile)."""
    return selectors.awaiting_count(user)
