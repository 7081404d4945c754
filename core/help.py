"""The in-app guide of each role (issue 17, item 6): what the role does here, the steps of its procedures
with the paragraph of the text, and screenshots of the real pages.

A step cites the rules of ``core/rules.yaml`` it follows; the paragraph shown is the catalogue's, so a
guide never cites a paragraph the référentiel does not hold (tests/core/test_help.py checks every id and
every screenshot). ``python manage.py help_screenshots`` takes the screenshots listed here from the demo
data (``seed_demo``) and writes them under ``core/static/help/``."""

from __future__ import annotations

from dataclasses import dataclass

from core.rules import catalogue

# The pages a step links to, by URL name, as the link names them.
PAGE_LABELS = {
    "labellisation:campaigns": "Campagnes CRC SEP",
    "labellisation:create": "Nouvelle candidature CRC SEP",
    "labellisation:inbox": "Candidatures CRC SEP",
    "labellisation:mine": "Mes candidatures CRC SEP",
    "centres:quotas": "Quotas CRC SEP",
    "letters:letter_list": "Courriers",
    "activity_reports:report_list": "Rapports d'activité",
    "reporting:orphanet": "Orphanet",
    "reporting:letter_export": "Export des courriers",
    "crmr_procedures:succession_list": "Successions CRMR",
    "crmr_procedures:succession_special_new": "Nouveau cas particulier de succession",
    "crmr_procedures:ccmr_request_list": "Centres de compétences (demandes)",
    "crmr_procedures:ccmr_request_create": "Nouvelle demande de centre de compétences",
    "admin:index": "Administration",
}
SHORT_TEXTS = {"sep-2016": "Instruction CRC SEP (2016)", "crmr-2013": "Instruction DGOS/PF2/2013/308"}


@dataclass(frozen=True)
class Step:
    text: str
    rules: tuple[str, ...] = ()  # ids of core/rules.yaml
    url_name: str = ""  # the page where the step is done (a URL without parameters)

    @property
    def citations(self) -> list[dict]:
        """The paragraphs cited, in order, each with its rules: [{"label": "Instruction …, Annexe 1 §3",
        "ids": [...]}]."""
        found: list[dict] = []
        for rule_id in self.rules:
            rule = catalogue().get(rule_id)
            label = f"{SHORT_TEXTS[rule.text]}, {rule.paragraph}"
            same = next((c for c in found if c["label"] == label), None)
            if same:
                same["ids"].append(rule.id)
            else:
                found.append({"label": label, "ids": [rule.id]})
        return found

    @property
    def page_label(self) -> str:
        return PAGE_LABELS[self.url_name]


@dataclass(frozen=True)
class Procedure:
    title: str
    steps: tuple[Step, ...]
    note: str = ""


@dataclass(frozen=True)
class Screenshot:
    name: str  # file name under core/static/help/ (PNG)
    path: str  # the page captured, as the demo account sees it
    alt: str  # French alternative text: what the image shows
    caption: str


@dataclass(frozen=True)
class Guide:
    slug: str
    role: str  # accounts.models.Role value
    title: str
    account: str  # the demo account the screenshots are taken with ("" when the guide has none)
    intro: str
    tasks: tuple[str, ...]
    procedures: tuple[Procedure, ...]
    screenshots: tuple[Screenshot, ...]


GUIDES: tuple[Guide, ...] = (
    Guide(
        slug="agent-ars",
        role="ars",
        title="Agent d'ARS",
        account="ars-53",
        intro="Vous représentez l'agence régionale de santé d'une région. Vous instruisez et décidez la "
        "labellisation des CRC SEP de votre région dans la limite de son quota, relayez les appels à projets des "
        "successions de CRMR, recevez le cahier des charges des nouveaux centres de compétences et notifiez "
        "l'avenant au CPOM. Vous lisez tout le registre ; vos listes commencent sur votre région.",
        tasks=(
            "Instruire les candidatures CRC SEP de votre région et décider (labellisation, refus, renvoi pour "
            "complément).",
            "Transmettre à la DGOS les projets de votre région dans un appel à projets de succession, classés.",
            "Notifier par avenant au CPOM la création ou l'abrogation d'un centre de compétences de votre région.",
            "Confirmer les rapports annuels d'activité des CRC SEP de votre région.",
        ),
        procedures=(
            Procedure(
                "Labellisation d'un CRC SEP",
                (
                    Step(
                        "La DGOS ouvre la campagne de la tranche : aucune candidature n'est déposée ni labellisée "
                        "dans une tranche dont la campagne n'est pas ouverte.",
                        ("SEP-A2-tranche2-previsionnel",),
                        "labellisation:campaigns",
                    ),
                    Step(
                        "Le CHU dépose sa candidature (vous pouvez la préparer pour son compte) : un site d'un CHU, "
                        "un coordonnateur neurologue ayant au moins trois ans de pratique et une expérience de "
                        "recherche, un infirmier spécialisé formé à l'ETP.",
                        (
                            "SEP-A1-1-chu",
                            "SEP-A1-3-coordinateur-neurologue",
                            "SEP-A1-3-coordinateur-3-ans",
                            "SEP-A1-3-infirmiere-specialisee",
                        ),
                        "labellisation:create",
                    ),
                    Step(
                        "Vous instruisez : chaque critère obligatoire du cahier des charges doit être justifié par "
                        "un élément déclaré ou une pièce ; sinon renvoyez le dossier pour complément.",
                        ("SEP-A1-2-1-hopital-de-jour", "SEP-A1-2-4-ofsep-adherent"),
                        "labellisation:inbox",
                    ),
                    Step(
                        "Vous décidez, dans la limite du quota de votre région pour la tranche ; une décision après "
                        "la date limite de la tranche est signalée.",
                        (
                            "SEP-lettre-labellisation-par-ars",
                            "SEP-A2-quota-region-tranche",
                            "SEP-lettre-echeance-septembre-2016",
                        ),
                        "centres:quotas",
                    ),
                    Step(
                        "La décision produit un courrier officiel signé, qui mentionne le financement de 100 000 € "
                        "par an lorsque celui de la tranche est notifié.",
                        ("SEP-lettre-100000-euros",),
                        "letters:letter_list",
                    ),
                    Step(
                        "Chaque année, vous confirmez le rapport d'activité validé par l'établissement ou le "
                        "renvoyez avec un message.",
                        ("SEP-A1-4-rapport-annuel", "SEP-A1-4-dgos-ars"),
                        "activity_reports:report_list",
                    ),
                ),
            ),
            Procedure(
                "Succession d'un coordonnateur de CRMR — cas particuliers",
                (
                    Step(
                        "La DGOS lance l'appel à projets par votre intermédiaire : auprès des autres sites et de la "
                        "filière (CRMR multi-sites) ou au sein de la filière (mono-site).",
                        (
                            "CRMR-2-ars-succession",
                            "CRMR-A1-appel-projets-multi-sites",
                            "CRMR-A1-appel-projets-mono-site",
                        ),
                        "crmr_procedures:succession_list",
                    ),
                    Step(
                        "Vous saisissez les projets de votre région et les transmettez à la DGOS, classés lorsqu'il "
                        "y en a plusieurs.",
                        ("CRMR-A1-retour-projets-via-ars", "CRMR-A1-hierarchisation-projets"),
                    ),
                    Step(
                        "Vous recevez copie du courrier d'officialisation du nouveau coordonnateur.",
                        ("CRMR-A1-officialisation-copie-ars",),
                        "letters:letter_list",
                    ),
                ),
            ),
            Procedure(
                "Création ou abrogation d'un centre de compétences",
                (
                    Step(
                        "Vous recevez copie du courrier de la DGOS qui officialise l'avis.",
                        ("CRMR-A2-copies-ars",),
                        "crmr_procedures:ccmr_request_list",
                    ),
                    Step(
                        "Création : le centre vous adresse son cahier des charges et son contrat (pas de copie à "
                        "la DGOS).",
                        ("CRMR-A2-cahier-charges-contrat", "CRMR-A2-pas-copie-dgos"),
                    ),
                    Step(
                        "Vous notifiez l'établissement par un avenant au CPOM, copie à la DGOS : sa date est la "
                        "date d'effet dans le registre.",
                        ("CRMR-2-ars-competence", "CRMR-A2-avenant-cpom", "CRMR-A2-cpom-copie-dgos"),
                    ),
                ),
            ),
        ),
        screenshots=(
            Screenshot(
                "agent-ars-accueil.png",
                "/",
                "Page d'accueil d'un agent de l'ARS de Bretagne : ce qui l'attend, en tuiles, et le menu.",
                "L'accueil : ce qui vous attend dans votre région.",
            ),
            Screenshot(
                "agent-ars-candidatures.png",
                "/labellisation/",
                "Liste des candidatures CRC SEP de la région Bretagne, avec les compteurs par état et les filtres.",
                "Les candidatures CRC SEP de votre région.",
            ),
            Screenshot(
                "agent-ars-quotas.png",
                "/centres/quotas/",
                "Tableau des quotas de l'annexe 2 par région et par tranche, avec les centres labellisés et en cours.",
                "Les quotas de l'annexe 2 : places par région et par tranche.",
            ),
        ),
    ),
    Guide(
        slug="dgos",
        role="dgos",
        title="Agent DGOS – bureau PF2",
        account="dgos",
        intro="Vous recevez les préavis de cessation, les dossiers de succession et les demandes de centres de "
        "compétences ; vous les transmettez au groupe permanent, officialisez les décisions par courrier et "
        "informez Orphanet. Vous ouvrez les campagnes de labellisation des CRC SEP et voyez tout le pays.",
        tasks=(
            "Suivre les successions et les demandes de centres de compétences qui vous attendent.",
            "Officialiser par courrier et informer Orphanet.",
            "Ouvrir les campagnes des tranches CRC SEP et suivre quotas, financements et rapports d'activité.",
        ),
        procedures=(
            Procedure(
                "Succession d'un coordonnateur de CRMR — voie normale",
                (
                    Step(
                        "Vous recevez copie du préavis du coordonnateur, avec la date effective, au moins 6 mois à "
                        "l'avance.",
                        ("CRMR-A1-preavis-destinataires", "CRMR-A1-preavis-6-mois"),
                        "crmr_procedures:succession_list",
                    ),
                    Step(
                        "Vous communiquez le préavis au vice-président santé du CoSPro.",
                        ("CRMR-A1-preavis-communique-vp",),
                    ),
                    Step(
                        "Vous recevez le dossier du successeur : lettre de proposition, CV sur le modèle de la "
                        "DGOS, lettre de motivation, avis du ou des présidents du directoire.",
                        (
                            "CRMR-A1-piece-proposition",
                            "CRMR-A1-piece-cv",
                            "CRMR-A1-piece-motivation",
                            "CRMR-A1-piece-avis-uni-site",
                            "CRMR-A1-pieces-transfert",
                        ),
                    ),
                    Step("Vous informez le groupe permanent et le vice-président santé.", ("CRMR-A1-information-gp",)),
                    Step(
                        "Vous officialisez par courrier, copie à l'ARS, puis informez Orphanet ; en cas de transfert, "
                        "la dotation MIG suit l'accord des établissements.",
                        (
                            "CRMR-A1-officialisation",
                            "CRMR-A1-officialisation-copie-ars",
                            "CRMR-A1-orphanet",
                            "CRMR-A1-mig-accord",
                        ),
                        "reporting:orphanet",
                    ),
                ),
            ),
            Procedure(
                "Succession — cas particuliers",
                (
                    Step(
                        "Vous êtes informé par courrier du coordonnateur ou du président du directoire (pas de "
                        "successeur, désaccord, refus du transfert…) et enregistrez le cas particulier.",
                        ("CRMR-A1-cas-particuliers-motifs", "CRMR-A1-cas-particuliers-information-dgos"),
                        "crmr_procedures:succession_special_new",
                    ),
                    Step(
                        "Vous communiquez le courrier au groupe permanent, qui organise une séance de délibération.",
                        ("CRMR-A1-cas-particuliers-communication-gp",),
                    ),
                    Step(
                        "Vous lancez l'appel à projets par les ARS ; les projets vous reviennent par elles.",
                        ("CRMR-A1-appel-projets-multi-sites", "CRMR-A1-retour-projets-via-ars"),
                    ),
                    Step(
                        "Après l'avis du groupe permanent, vous officialisez par courrier et informez Orphanet ; "
                        "la MIG initiale est débasée puis affectée selon le projet retenu.",
                        ("CRMR-A1-avis-gp-projets", "CRMR-A1-cas-particuliers-officialisation", "CRMR-A1-mig-debasee"),
                    ),
                ),
            ),
            Procedure(
                "Création ou abrogation d'un centre de compétences",
                (
                    Step(
                        "Vous recevez la demande du coordonnateur et la communiquez au groupe permanent, dont vous "
                        "recueillez l'avis d'opportunité le cas échéant.",
                        ("CRMR-A2-courrier-coordonnateur", "CRMR-A2-communication-gp", "CRMR-A2-avis-opportunite"),
                        "crmr_procedures:ccmr_request_list",
                    ),
                    Step(
                        "Vous officialisez l'avis par courrier au coordonnateur, copie aux présidents du directoire "
                        "et aux ARS concernées.",
                        ("CRMR-A2-officialisation-avis", "CRMR-A2-copies-directoires", "CRMR-A2-copies-ars"),
                    ),
                    Step(
                        "Après l'avenant au CPOM, vous informez Orphanet.", ("CRMR-A2-orphanet",), "reporting:orphanet"
                    ),
                ),
            ),
            Procedure(
                "Labellisation des CRC SEP",
                (
                    Step(
                        "Vous ouvrez la campagne de chaque tranche et enregistrez la notification de son financement.",
                        ("SEP-A2-tranche2-previsionnel",),
                        "labellisation:campaigns",
                    ),
                    Step(
                        "Vous lisez les candidatures, les décisions des ARS et les rapports annuels d'activité.",
                        ("SEP-A1-4-dgos-ars",),
                        "labellisation:inbox",
                    ),
                ),
            ),
        ),
        screenshots=(
            Screenshot(
                "dgos-successions.png",
                "/crmr/successions/",
                "Liste des successions de coordonnateurs de CRMR, avec l'état de chaque dossier et ce qui attend "
                "la DGOS.",
                "Les successions : ce qui vous attend en premier.",
            ),
            Screenshot(
                "dgos-campagnes.png",
                "/labellisation/campagnes/",
                "Page des campagnes des tranches CRC SEP : ouverture, statut du financement et circulaire.",
                "Les campagnes des tranches de l'annexe 2.",
            ),
        ),
    ),
    Guide(
        slug="coordonnateur",
        role="coordinator",
        title="Coordonnateur de CRMR",
        account="coord-5",
        intro="Vous coordonnez un centre de référence maladies rares. Vous signalez ici la fin de votre "
        "coordination, proposez votre successeur avec son dossier et demandez la création ou l'abrogation d'un "
        "centre de compétences rattaché à votre CRMR. Vous ne voyez que les dossiers de votre CRMR.",
        tasks=(
            "Envoyer le préavis de cessation de vos fonctions et proposer un successeur.",
            "Constituer le dossier du successeur (pièces et CV sur le modèle de la DGOS).",
            "Demander la création ou l'abrogation d'un centre de compétences.",
        ),
        procedures=(
            Procedure(
                "Succession d'un coordonnateur de CRMR",
                (
                    Step(
                        "Vous adressez votre préavis au président du directoire, copie au président du CoSPro et à la "
                        "DGOS, avec la date effective de cessation, au moins 6 mois à l'avance.",
                        (
                            "CRMR-A1-lettre-cessation",
                            "CRMR-A1-preavis-destinataires",
                            "CRMR-A1-date-effective",
                            "CRMR-A1-preavis-6-mois",
                        ),
                        "crmr_procedures:succession_list",
                    ),
                    Step(
                        "Vous proposez un successeur dans votre établissement, ou dans un autre établissement "
                        "siège d'un site de votre CRMR.",
                        ("CRMR-A1-successeur-meme-etablissement", "CRMR-A1-successeur-autre-site"),
                    ),
                    Step(
                        "Vous joignez la lettre de proposition, le CV du successeur (modèle de la DGOS), sa lettre de "
                        "motivation signée et l'avis du ou des présidents du directoire.",
                        (
                            "CRMR-A1-piece-proposition",
                            "CRMR-A1-piece-cv",
                            "CRMR-A1-cv-modele-dgos",
                            "CRMR-A1-piece-motivation",
                            "CRMR-A1-piece-avis-uni-site",
                            "CRMR-A1-pieces-transfert",
                        ),
                    ),
                    Step(
                        "Sans successeur ou en cas de désaccord, vous en informez la DGOS par courrier : la procédure "
                        "passe en cas particulier (appel à projets).",
                        ("CRMR-A1-cas-particuliers-motifs", "CRMR-A1-cas-particuliers-information-dgos"),
                    ),
                    Step(
                        "La DGOS officialise le nouveau coordonnateur par courrier, à vous et à votre successeur.",
                        ("CRMR-A1-officialisation",),
                        "letters:letter_list",
                    ),
                ),
            ),
            Procedure(
                "Création ou abrogation d'un centre de compétences",
                (
                    Step(
                        "Vous écrivez à la DGOS pour créer ou abroger un centre de compétences de votre CRMR, en "
                        "précisant l'équipe et l'établissement.",
                        ("CRMR-A2-courrier-coordonnateur", "CRMR-A2-creer-ou-abroger", "CRMR-A2-equipe-etablissement"),
                        "crmr_procedures:ccmr_request_create",
                    ),
                    Step(
                        "La DGOS officialise l'avis par courrier.",
                        ("CRMR-A2-officialisation-avis",),
                        "letters:letter_list",
                    ),
                    Step(
                        "Création : le centre adresse à l'ARS un cahier des charges (modèle 2007) et un contrat ; "
                        "vous pouvez les déposer pour son compte.",
                        ("CRMR-A2-cahier-charges-contrat", "CRMR-A2-modele-2007"),
                    ),
                ),
            ),
        ),
        screenshots=(
            Screenshot(
                "coordonnateur-accueil.png",
                "/",
                "Page d'accueil d'un coordonnateur : son CRMR et les démarches qu'il peut engager.",
                "L'accueil : votre CRMR et vos démarches.",
            ),
            Screenshot(
                "coordonnateur-demande-ccmr.png",
                "/crmr/centres-de-competences/nouvelle/",
                "Formulaire de demande de création ou d'abrogation d'un centre de compétences : CRMR, nature, "
                "établissement, équipe et courrier.",
                "Le formulaire de demande de centre de compétences.",
            ),
        ),
    ),
    Guide(
        slug="groupe-permanent",
        role="gp",
        title="Membre du groupe permanent",
        account="gp",
        intro="Le groupe permanent (son responsable, vice-président santé du CoSPro) est informé des successions, "
        "délibère sur les cas particuliers et donne un avis d'opportunité sur les demandes de centres de "
        "compétences.",
        tasks=(
            "Prendre connaissance des dossiers que la DGOS vous transmet.",
            "Fixer la séance de délibération et donner un avis sur chaque projet d'un cas particulier.",
            "Donner l'avis d'opportunité sur une demande de centre de compétences.",
        ),
        procedures=(
            Procedure(
                "Succession d'un coordonnateur de CRMR",
                (
                    Step(
                        "La DGOS vous informe de chaque succession.",
                        ("CRMR-A1-information-gp",),
                        "crmr_procedures:succession_list",
                    ),
                    Step(
                        "Cas particuliers : la DGOS vous communique le courrier ; vous organisez une séance de "
                        "délibération.",
                        ("CRMR-A1-cas-particuliers-communication-gp", "CRMR-A1-cas-particuliers-organisation-seance"),
                    ),
                    Step(
                        "Vous examinez les projets en séance et donnez à la DGOS un avis sur chacun.",
                        ("CRMR-A1-cas-particuliers-seance", "CRMR-A1-avis-gp-projets"),
                    ),
                ),
            ),
            Procedure(
                "Création ou abrogation d'un centre de compétences",
                (
                    Step(
                        "La DGOS vous communique la demande pour information et, le cas échéant, vous demande un avis "
                        "d'opportunité, que vous rendez motivé.",
                        ("CRMR-A2-communication-gp", "CRMR-A2-avis-opportunite"),
                        "crmr_procedures:ccmr_request_list",
                    ),
                ),
            ),
        ),
        screenshots=(
            Screenshot(
                "groupe-permanent-accueil.png",
                "/",
                "Page d'accueil d'un membre du groupe permanent : les dossiers qui attendent son avis.",
                "L'accueil : ce qui attend votre avis.",
            ),
        ),
    ),
    Guide(
        slug="direction",
        role="establishment",
        title="Direction d'établissement",
        account="etab-350005179",
        intro="Vous représentez la direction d'un établissement de santé (président du directoire). Un CHU dépose "
        "ici sa candidature CRC SEP ; vous renseignez et validez le volet administratif du rapport annuel ; vous "
        "suivez les successions et les centres de compétences qui concernent votre établissement.",
        tasks=(
            "Déposer et compléter une candidature CRC SEP (CHU seulement).",
            "Renseigner le volet DIM / DAF du rapport annuel d'activité et le valider.",
            "Adresser à l'ARS le cahier des charges et le contrat d'un nouveau centre de compétences.",
        ),
        procedures=(
            Procedure(
                "Labellisation d'un CRC SEP",
                (
                    Step(
                        "Vous déposez la candidature d'un site de votre CHU avec l'équipe : coordonnateur "
                        "neurologue, infirmier spécialisé formé à l'ETP.",
                        ("SEP-A1-1-chu", "SEP-A1-3-equipe-minimum", "SEP-A1-3-infirmiere-etp"),
                        "labellisation:mine",
                    ),
                    Step(
                        "Vous justifiez chaque critère du cahier des charges (élément déclaré ou pièce PDF) et "
                        "complétez le dossier s'il vous est renvoyé.",
                        ("SEP-A1-2-1-rcp", "SEP-A1-2-4-export-edmus"),
                    ),
                    Step(
                        "L'ARS décide et vous adresse le courrier de décision.",
                        ("SEP-lettre-labellisation-par-ars",),
                        "letters:letter_list",
                    ),
                    Step(
                        "Chaque année, l'équipe du centre remplit l'activité ; vous renseignez le volet DIM / DAF et "
                        "validez, ou renvoyez à l'équipe.",
                        ("SEP-A1-4-rapport-annuel",),
                        "activity_reports:report_list",
                    ),
                ),
            ),
            Procedure(
                "Succession d'un coordonnateur de CRMR",
                (
                    Step(
                        "Le coordonnateur vous adresse son préavis ; votre avis sur le successeur (ou votre accord au "
                        "transfert) est une lettre signée, jointe au dossier.",
                        ("CRMR-A1-lettre-cessation", "CRMR-A1-piece-avis-uni-site", "CRMR-A1-pieces-transfert"),
                        "crmr_procedures:succession_list",
                    ),
                    Step(
                        "En cas de difficulté, vous informez la DGOS par courrier.",
                        ("CRMR-A1-cas-particuliers-information-dgos",),
                    ),
                    Step(
                        "Vous recevez le courrier d'officialisation.",
                        ("CRMR-A1-cas-particuliers-officialisation",),
                        "letters:letter_list",
                    ),
                ),
            ),
            Procedure(
                "Création d'un centre de compétences",
                (
                    Step(
                        "Vous recevez copie de l'avis officialisé par la DGOS.",
                        ("CRMR-A2-copies-directoires",),
                        "crmr_procedures:ccmr_request_list",
                    ),
                    Step(
                        "Le centre adresse à l'ARS un cahier des charges (modèle 2007) et un contrat ; l'ARS vous "
                        "notifie l'avenant au CPOM.",
                        ("CRMR-A2-cahier-charges-contrat", "CRMR-A2-avenant-cpom"),
                    ),
                ),
            ),
        ),
        screenshots=(
            Screenshot(
                "direction-candidatures.png",
                "/labellisation/mes-candidatures/",
                "Liste des candidatures CRC SEP du CHU de Rennes, avec le bouton pour déposer une nouvelle "
                "candidature.",
                "Vos candidatures CRC SEP.",
            ),
            Screenshot(
                "direction-rapports.png",
                "/pilotage/rapports/",
                "Liste des rapports annuels d'activité des CRC SEP de l'établissement.",
                "Les rapports annuels d'activité.",
            ),
        ),
    ),
    Guide(
        slug="equipe-crc-sep",
        role="crcsep_team",
        title="Équipe CRC SEP",
        account="",  # created by an administrator once a centre is labelled: no demo account, no screenshot
        intro="Vous êtes l'équipe d'un CRC SEP labellisé (compte créé par l'administrateur, lié à votre centre). "
        "Vous remplissez chaque année l'activité du centre, mission par mission, et joignez le bilan de l'OFSEP ; "
        "la direction de l'établissement complète le volet administratif et valide, puis l'ARS confirme.",
        tasks=(
            "Remplir le rapport annuel d'activité du centre et joindre le bilan semestriel de l'OFSEP.",
            "Transmettre le rapport à la direction de l'établissement, le reprendre s'il vous est renvoyé.",
        ),
        procedures=(
            Procedure(
                "Rapport annuel d'activité",
                (
                    Step(
                        "Vous ouvrez le rapport de l'année et renseignez l'activité de chaque mission : prise en "
                        "charge, coordination, formation et harmonisation des pratiques, recherche.",
                        (
                            "SEP-A1-4-rapport-contenu",
                            "SEP-A1-2-3-harmonisation-formation",
                            "SEP-A1-4-rapport-standardise",
                        ),
                        "activity_reports:report_list",
                    ),
                    Step(
                        "Vous joignez au moins un bilan semestriel de l'OFSEP, puis transmettez le rapport à la "
                        "direction de l'établissement.",
                        ("SEP-A1-4-bilan-ofsep",),
                    ),
                    Step(
                        "La direction renseigne le volet DIM / DAF et valide (ou vous renvoie le rapport) ; l'ARS "
                        "confirme ; la DGOS et l'ARS le lisent.",
                        ("SEP-A1-4-rapport-annuel", "SEP-A1-4-dgos-ars"),
                    ),
                ),
            ),
        ),
        screenshots=(),
    ),
    Guide(
        slug="administrateur",
        role="admin",
        title="Administrateur",
        account="admin",
        intro="Vous administrez la plateforme : données de référence (régions, établissements, filières), "
        "comptes et rôles, expéditeurs et signataires des courriers, export des courriers de notification. Vous "
        "lisez tous les dossiers ; les décisions restent aux ARS, à la DGOS et au groupe permanent.",
        tasks=(
            "Créer les comptes et leur rôle (région d'un agent d'ARS, établissement d'une direction).",
            "Créer le compte de l'équipe d'un CRC SEP une fois le centre labellisé.",
            "Tenir à jour les expéditeurs et signataires des courriers.",
            "Exporter les courriers de notification.",
        ),
        procedures=(
            Procedure(
                "Administration",
                (
                    Step(
                        "Données de référence : les régions de 2016, les quotas et tranches de l'annexe 2 sont "
                        "chargés par la commande load_reference_data ; le quota ne descend pas sous le nombre de "
                        "centres labellisés.",
                        ("SEP-A2-regions-2016", "SEP-A2-quota-region-tranche"),
                        "admin:index",
                    ),
                    Step(
                        "Une fois un CRC SEP labellisé, créez le compte « Équipe CRC SEP » lié au centre : l'équipe "
                        "remplit le rapport annuel.",
                        ("SEP-A1-4-rapport-annuel",),
                        "admin:index",
                    ),
                    Step(
                        "Expéditeurs et signataires : chaque courrier porte le bloc expéditeur et la délégation de "
                        "signature du signataire actif.",
                        ("CRMR-entete-dgos-pf2", "CRMR-lettre-signature-delegation"),
                    ),
                    Step(
                        "Vous exportez les courriers de notification en archive ZIP (gardée 24 heures).",
                        (),
                        "reporting:letter_export",
                    ),
                ),
            ),
        ),
        screenshots=(
            Screenshot(
                "administrateur-export.png",
                "/pilotage/courriers/export/",
                "Page d'export des courriers de notification en archive ZIP, avec ses filtres.",
                "L'export des courriers de notification.",
            ),
        ),
    ),
)

BY_SLUG = {guide.slug: guide for guide in GUIDES}


def guide_for(user) -> Guide | None:
    """The guide of the user's role (a superuser without a role reads the administrator's)."""
    role = user.role or ("admin" if user.is_superuser else "")
    return next((guide for guide in GUIDES if guide.role == role), None)
