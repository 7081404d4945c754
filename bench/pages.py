"""The pages the benchmark measures: every list, inbox and dashboard, each as the user who sees it.

A page whose URL name does not exist (yet) is skipped, so the list can name every app's pages. A name may
carry a query string (``centres:crmr_list?date=2030-07-01``): the registry read at a date, and one
argument after ``|`` (``reporting:registry_export|crmr?export=csv``).

Every paginated list is measured on its first and on its last page (``page=999999``: the paginator
answers its last page; the letters list pages by cursor, its last page is the one before the oldest
letter, ``avant=1900-01-01.0.0``), since the last page is what offset pagination makes grow with the data."""

from django.urls import NoReverseMatch, reverse

# (label, url name, username)
PAGES = [
    ("registre : établissements", "centres:establishment_list", "dgos"),
    ("registre : CRC SEP", "centres:crcsep_list", "dgos"),
    ("registre : CRMR", "centres:crmr_list", "dgos"),
    ("registre : centres de compétences", "centres:ccmr_list", "dgos"),
    ("registre : quotas", "centres:quotas", "ars-53"),
    ("registre : personnes", "centres:person_list", "dgos"),
    ("accueil DGOS", "home", "dgos"),
    ("labellisation : boîte ARS", "labellisation:inbox", "ars-11"),
    ("labellisation : vue nationale", "labellisation:inbox", "dgos"),
    ("labellisation : mes candidatures", "labellisation:mine", "etab-750712184"),
    ("centres de compétences : boîte DGOS", "crmr_procedures:ccmr_request_list", "dgos"),
    ("centres de compétences : boîte ARS", "crmr_procedures:ccmr_request_list", "ars-11"),
    ("centres de compétences : groupe permanent", "crmr_procedures:ccmr_request_list", "gp"),
    ("successions : boîte DGOS", "crmr_procedures:succession_list", "dgos"),
    ("successions : groupe permanent", "crmr_procedures:succession_list", "gp"),
    ("successions : appels à projets ARS", "crmr_procedures:succession_list", "ars-11"),
    ("successions : coordonnateur", "crmr_procedures:succession_list", "coord-1"),
    ("tableau de bord national", "reporting:dashboard", "dgos"),
    ("tableau de bord régional", "reporting:dashboard", "ars-11"),
    # The dashboard's subject pages (issue 17): the procedures by state and age, the deadlines.
    ("tableau de bord national : procédures", "reporting:dashboard_procedures", "dgos"),
    ("tableau de bord national : échéances", "reporting:dashboard_deadlines", "dgos"),
    ("alertes DGOS", "reporting:alerts", "dgos"),
    ("courriers (DGOS)", "letters:letter_list", "dgos"),
    ("courriers (ARS)", "letters:letter_list", "ars-11"),
    ("rapports d'activité (DGOS)", "activity_reports:report_list", "dgos"),
    ("rapports d'activité (ARS)", "activity_reports:report_list", "ars-11"),
    ("flux Orphanet", "reporting:orphanet", "dgos"),
    # The registry read at a date (decided changes to come; the network as it stood).
    ("registre daté : CRMR au 01/07/2030", "centres:crmr_list?date=2030-07-01", "dgos"),
    ("registre daté : CRMR au 01/01/2018", "centres:crmr_list?date=2018-01-01", "dgos"),
    ("registre daté : centres de compétences au 01/07/2030", "centres:ccmr_list?date=2030-07-01", "ars-11"),
    ("registre daté : CRC SEP au 01/07/2030", "centres:crcsep_list?date=2030-07-01", "dgos"),
    ("le réseau au 01/07/2030 : CRMR", "centres:network?section=crmr&date=2030-07-01", "dgos"),
    ("le réseau au 01/07/2030 : centres de compétences", "centres:network?section=ccmr&date=2030-07-01", "dgos"),
    ("le réseau au 01/07/2030 : CRC SEP", "centres:network?section=crc-sep&date=2030-07-01", "dgos"),
]

# The paginated lists, read on their last page too.
PAGINATED = [
    ("registre : établissements", "centres:establishment_list", "dgos"),
    ("registre : CRMR", "centres:crmr_list", "dgos"),
    ("registre : centres de compétences", "centres:ccmr_list", "dgos"),
    ("registre : personnes", "centres:person_list", "dgos"),
    ("labellisation : vue nationale", "labellisation:inbox", "dgos"),
    ("centres de compétences : boîte DGOS", "crmr_procedures:ccmr_request_list", "dgos"),
    ("successions : boîte DGOS", "crmr_procedures:succession_list", "dgos"),
    ("courriers (DGOS)", "letters:letter_list", "dgos"),
    ("courriers (ARS)", "letters:letter_list", "ars-11"),
    ("rapports d'activité (DGOS)", "activity_reports:report_list", "dgos"),
    ("registre daté : centres de compétences au 01/07/2030", "centres:ccmr_list?date=2030-07-01", "ars-11"),
]
# How each list is asked for its last page: offset pages by number, the letters list by cursor.
LAST_PAGE = {"letters:letter_list": "avant=1900-01-01.0.0"}
PAGES += [
    (f"{label} — dernière page", f"{name}{'&' if '?' in name else '?'}{LAST_PAGE.get(name, 'page=999999')}", username)
    for label, name, username in PAGINATED
]

DASHBOARD = "tableau de bord national"  # the page of the load targets (issue 15)

LOAD_PAGES = [
    (DASHBOARD, "reporting:dashboard", "dgos"),
    ("registre : CRMR", "centres:crmr_list", "dgos"),
    ("labellisation : boîte ARS", "labellisation:inbox", "ars-11"),
    ("successions : boîte DGOS", "crmr_procedures:succession_list", "dgos"),
]


# Every list export, measured for the web process's memory (issue 15: "any list export").
EXPORT_PAGES = [
    ("courriers (XLSX)", "letters:letter_list?export=xlsx", "dgos"),
    ("courriers (CSV)", "letters:letter_list?export=csv", "dgos"),
    (
        "registre : centres de compétences (XLSX)",
        "reporting:registry_export|centres-de-competences?export=xlsx",
        "dgos",
    ),
    ("registre : CRMR (XLSX)", "reporting:registry_export|crmr?export=xlsx", "dgos"),
    ("le réseau : centres de compétences (XLSX)", "centres:network?section=ccmr&export=xlsx", "dgos"),
    ("labellisation (XLSX)", "labellisation:inbox?export=xlsx", "dgos"),
    ("centres de compétences : demandes (XLSX)", "crmr_procedures:ccmr_request_list?export=xlsx", "dgos"),
    ("successions (XLSX)", "crmr_procedures:succession_list?export=xlsx", "dgos"),
    ("rapports d'activité (XLSX)", "activity_reports:report_list?export=xlsx", "dgos"),
]


def url_of(name: str) -> str:
    """The URL of ``name``, with its argument and its query string if it carries them."""
    name, _, query = name.partition("?")
    name, _, arg = name.partition("|")
    return reverse(name, args=[arg] if arg else None) + (f"?{query}" if query else "")


def _resolve(entries):
    resolved = []
    for label, name, username in entries:
        try:
            resolved.append((label, url_of(name), username))
        except NoReverseMatch:
            continue
    return resolved


def pages():
    return _resolve(PAGES)


def load_pages():
    return _resolve(LOAD_PAGES)


def export_pages():
    return _resolve(EXPORT_PAGES)
