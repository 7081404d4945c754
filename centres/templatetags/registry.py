"""Template helpers of the registry read at a date."""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.filter
def dated(url: str, when) -> str:
    """``url`` read at the same date as the current page (``?date=`` carried when it is not today)."""
    if when is None or not getattr(when, "param", ""):
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'date': when.param})}"
