"""Template filters of ``core.typography``: ``{{ d|date_fr }}``,
``{{ amount|amount_fr }}``, ``{{ establishment.name|de }}``, ``{{ hospital.name|a }}``,
``{{ "Président"|agree:"Mme" }}``."""

from django import template

from core import typography

register = template.Library()

register.filter("date_fr", typography.date_fr)
register.filter("numero", typography.numero)
register.filter("de", typography.de)
register.filter("a", typography.a)
register.filter("par", typography.par)
register.filter("with_article", typography.with_article)


@register.filter
def amount_fr(value, decimals=2):
    return typography.amount_fr(value, int(decimals))


@register.filter
def number_fr(value, decimals=0):
    return typography.number_fr(value, int(decimals))


@register.filter
def agree(title, civility):
    return typography.agree(title, civility or "")


@register.filter
def director_salutation(establishment):
    """ "Madame la présidente du directoire," from the establishment's recorded civility, else the
    conventional "Madame, Monsieur le président du directoire,"."""
    civility = getattr(establishment, "director_civility", "")
    if civility in (typography.FEMALE, typography.MALE):
        return typography.salutation(civility, "président du directoire")
    return "Madame, Monsieur le président du directoire,"


@register.filter
def director_address(establishment):
    """The same words without the comma, for the courtesy closing ("… agréer, Madame la présidente …")."""
    return director_salutation(establishment).rstrip(",")
