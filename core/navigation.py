"""The site's map, declared once: the header menu, the breadcrumbs and the "plan du site" read it.

The menu groups its entries into a few DSFR dropdown menus so that it fits on one line at 1,280 px
(issue 17, item 1). Each entry says who sees it (the same roles as the pages' permissions, ``perms.py``)
and which URL names belong to it (``matches``: "namespace:url_name prefix"), so that the breadcrumbs of
any page below it know their parent without each template repeating it. ``children`` are the pages an
entry leads to: not in the menu, but in the plan du site and in the breadcrumbs of their own sub-pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


def everyone(user) -> bool:
    return user.is_authenticated


def roles(*names: str) -> Callable:
    """Visible to these roles; "admin" also covers superusers (User.is_platform_admin)."""

    def visible(user) -> bool:
        if not user.is_authenticated:
            return False
        return user.role in names or ("admin" in names and user.is_platform_admin)

    return visible


def crcsep_teams_and(*names: str) -> Callable:
    base = roles(*names)
    return lambda user: base(user) or (user.is_authenticated and user.is_crcsep_team)


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    visible: Callable = everyone
    matches: tuple[str, ...] = ()
    children: tuple[Entry, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def match_length(self, route: str) -> int:
        """Length of the longest pattern of this entry that ``route`` ("ns:url_name") starts with; 0 if none."""
        patterns = self.matches or (self.url_name if ":" in self.url_name else f":{self.url_name}",)
        return max((len(p) for p in patterns if route.startswith(p)), default=0)


@dataclass(frozen=True)
class Group:
    label: str
    slug: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)


NATIONAL_AND_ARS = roles("dgos", "admin", "ars")

MENU: tuple[Group, ...] = (
    Group(
        "Registre",
        "registre",
        (
            Entry(
                "Registre des centres",
                "centres:index",
                matches=("centres:",),
                children=(
                    Entry("Établissements", "centres:establishment_list", matches=("centres:establishment_",)),
                    Entry("CRC SEP", "centres:crcsep_list", matches=("centres:crcsep_",)),
                    Entry("CRMR", "centres:crmr_list", matches=("centres:crmr_",)),
                    Entry("Centres de compétences", "centres:ccmr_list", matches=("centres:ccmr_",)),
                    Entry("Personnes", "centres:person_list", matches=("centres:person_",)),
                    Entry("Le réseau à une date", "centres:network", matches=("centres:network",)),
                    Entry("Carte du réseau", "centres:map", matches=("centres:map",)),
                ),
            ),
            Entry("Quotas CRC SEP", "centres:quotas", matches=("centres:quotas",)),
            Entry("Référentiel réglementaire", "referentiel", matches=(":referentiel",)),
        ),
    ),
    Group(
        "CRC SEP",
        "crc-sep",
        (
            Entry("Labellisation CRC SEP", "labellisation:inbox", roles("ars", "dgos"), matches=("labellisation:",)),
            Entry(
                "Mes candidatures CRC SEP", "labellisation:mine", roles("establishment"), matches=("labellisation:",)
            ),
            Entry(
                "Campagnes CRC SEP",
                "labellisation:campaigns",
                roles("ars", "dgos"),
                matches=("labellisation:campaign",),
            ),
            Entry(
                "Rapports d'activité",
                "activity_reports:report_list",
                crcsep_teams_and("dgos", "admin", "ars", "establishment"),
                matches=("activity_reports:report_",),
            ),
        ),
    ),
    Group(
        "Maladies rares",
        "maladies-rares",
        (
            Entry(
                "Successions CRMR",
                "crmr_procedures:succession_list",
                roles("dgos", "gp", "ars", "coordinator", "establishment"),
                matches=("crmr_procedures:succession_",),
            ),
            Entry(
                "Centres de compétences",
                "crmr_procedures:ccmr_request_list",
                roles("dgos", "gp", "ars", "coordinator", "establishment", "admin"),
                matches=("crmr_procedures:ccmr_request",),
            ),
            Entry("Orphanet", "reporting:orphanet", NATIONAL_AND_ARS, matches=("reporting:orphanet",)),
        ),
    ),
    Group(
        "Pilotage",
        "pilotage",
        (
            Entry(
                "Tableau de bord",
                "reporting:dashboard",
                NATIONAL_AND_ARS,
                matches=("reporting:dashboard",),
                children=(
                    Entry("Exports du registre", "reporting:registry_exports", matches=("reporting:registry_export",)),
                ),
            ),
            Entry(
                "Alertes",
                "reporting:alerts",
                matches=("reporting:alerts",),
                children=(
                    Entry("Préférences de notification", "reporting:preferences", matches=("reporting:preferences",)),
                ),
            ),
            Entry(
                "Courriers",
                "letters:letter_list",
                roles("dgos", "admin", "ars", "establishment", "coordinator"),
                matches=("letters:",),
                children=(
                    Entry(
                        "Export des courriers",
                        "reporting:letter_export",
                        roles("dgos", "admin"),
                        matches=("reporting:letter_export", "reporting:export_job"),
                    ),
                ),
            ),
        ),
    ),
)

# Pages of the footer, open to everyone (mandatory on a State site).
FOOTER_PAGES: tuple[Entry, ...] = (
    Entry("Plan du site", "plan_du_site", lambda user: True),
    Entry("Accessibilité : partiellement conforme", "accessibilite", lambda user: True),
    Entry("Mentions légales", "mentions_legales", lambda user: True),
    Entry("Données personnelles", "donnees_personnelles", lambda user: True),
)


def _route(resolver_match) -> str:
    if resolver_match is None:
        return ""
    return f"{resolver_match.namespace}:{resolver_match.url_name}"


def menu_for(user, resolver_match=None) -> list[dict]:
    """The groups and entries ``user`` sees, each marked current when the page belongs to it."""
    route = _route(resolver_match)
    best = _best_path(user, route)
    current_entry = best[0] if best else None
    groups = []
    for group in MENU:
        entries = [
            {"label": e.label, "url": e.url, "current": e is current_entry} for e in group.entries if e.visible(user)
        ]
        if entries:
            groups.append(
                {
                    "label": group.label,
                    "slug": group.slug,
                    "entries": entries,
                    "current": any(e["current"] for e in entries),
                }
            )
    return groups


def _best_path(user, route: str) -> list[Entry]:
    """The chain of entries (menu entry, then child) the page ``route`` belongs to, most specific first wins."""
    if not route:
        return []
    best, best_length = [], 0
    for group in MENU:
        for entry in group.entries:
            if not entry.visible(user):
                continue
            length = entry.match_length(route)
            if length > best_length:
                best, best_length = [entry], length
            for child in entry.children:
                if child.visible(user) and (child_length := child.match_length(route)) >= max(best_length, 1):
                    best, best_length = [entry, child], child_length
    return best


def breadcrumb_links(user, resolver_match, current_path: str) -> list[dict]:
    """Links between "Accueil" and the current page: its menu entry and child, except the page itself."""
    return [{"label": e.label, "url": e.url} for e in _best_path(user, _route(resolver_match)) if e.url != current_path]


def site_map(user) -> list[dict]:
    """Every page of the menu ``user`` may open, with the pages each leads to (the "plan du site")."""
    sections = []
    for group in MENU:
        entries = [
            {
                "label": e.label,
                "url": e.url,
                "children": [{"label": c.label, "url": c.url} for c in e.children if c.visible(user)],
            }
            for e in group.entries
            if e.visible(user)
        ]
        if entries:
            sections.append({"label": group.label, "entries": entries})
    return sections
