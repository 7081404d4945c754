"""The registry: regions, establishments, CRC SEP centres and quotas, the rare-disease network, people.

Sources: instruction CRC SEP 2016 (2016 instruction: Annexe 1 §1, §2.4 "implanté au sein d'un CHU";
Annexe 2 quotas and funding) and Instruction DGOS/PF2/2013/308 (2013 instruction: CRMR, CCMR, coordinators).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import ChoiceLabels

from .validators import validate_finess

ANNUAL_FUNDING_PER_CENTRE = Decimal("100000")  # 2016 instruction, cover letter: "100 000 euros" per centre and year


class Region(models.Model):
    """A 2016 region (INSEE code). Annexe 2 names some by their pre-2016 groupings."""

    code = models.CharField("code INSEE", max_length=2, unique=True)
    name = models.CharField("nom", max_length=100)
    former_regions = models.CharField("anciennes régions", max_length=200, blank=True)
    annexe2_label = models.CharField("libellé de l'annexe 2", max_length=200, blank=True)
    ars_director_name = models.CharField("directeur général de l'ARS", max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "région"

    def __str__(self):
        return self.name


class Establishment(ChoiceLabels, models.Model):
    """A legal entity (entité juridique) identified by its FINESS EJ."""

    class Kind(models.TextChoices):
        # 2016 instruction, Annexe 1 §1 and §2.4: a CRC SEP is "implanté au sein d'un CHU"; a CHR (centre hospitalier
        # régional without a university convention) is not a CHU. CHRU are CHU.
        CHU = "CHU", "Centre hospitalier universitaire (CHU)"
        CHR = "CHR", "Centre hospitalier régional (CHR)"
        CH = "CH", "Centre hospitalier"
        OTHER = "OTHER", "Autre"

    finess_ej = models.CharField("FINESS EJ", max_length=9, unique=True, validators=[validate_finess])
    name = models.CharField("raison sociale", max_length=200)
    # No default: the category comes from the reference data (FINESS category), never assumed.
    kind = models.CharField("catégorie", max_length=5, choices=Kind.choices)
    city = models.CharField("ville", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="establishments", verbose_name="région")
    # The city's coordinates (WGS84), from the reference data: where the network map places the establishment.
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    director_name = models.CharField("président(e) du directoire", max_length=200, blank=True)
    director_civility = models.CharField(
        "civilité du président du directoire",
        max_length=3,
        blank=True,
        choices=[("Mme", "Madame"), ("M.", "Monsieur")],
        help_text="Accorde la fonction dans les courriers (« présidente du directoire »).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "établissement"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centres:establishment_detail", args=[self.pk])

    @property
    def is_university_hospital(self) -> bool:
        return self.kind == self.Kind.CHU


class Hospital(models.Model):
    """A geographic site (établissement géographique, FINESS ET optional) of an establishment."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="hospitals", verbose_name="établissement"
    )
    name = models.CharField("nom", max_length=200)
    finess_et = models.CharField(
        "FINESS ET", max_length=9, blank=True, null=True, unique=True, validators=[validate_finess]
    )
    city = models.CharField("ville", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["establishment__name", "name"]
        verbose_name = "site hospitalier"

    def __str__(self):
        return self.name


class Tranche(models.Model):
    """A funding tranche of the CRC SEP plan (2016 instruction, cover letter and Annexe 2)."""

    number = models.PositiveSmallIntegerField("numéro", unique=True)
    label = models.CharField("libellé", max_length=100)
    funding_year = models.PositiveSmallIntegerField("année de financement")
    deadline = models.DateField("date limite de labellisation", null=True, blank=True)
    planned_centres = models.PositiveSmallIntegerField("nombre de centres prévus")
    annual_amount_per_centre = models.DecimalField(
        "dotation annuelle par centre (€)", max_digits=12, decimal_places=2, default=ANNUAL_FUNDING_PER_CENTRE
    )

    # The tranche's campaign, opened by DGOS (2016 instruction, Annexe 2 "calendrier de financement" and cover letter:
    # tranche 1 "alloués … dans la seconde circulaire budgétaire 2015", tranche 2 "à l'étude").
    class FundingStatus(models.TextChoices):
        PLANNED = "previsionnel", "Prévisionnel (financement à l'étude)"
        NOTIFIED = "notifie", "Notifié"

    funding_status = models.CharField(
        "statut du financement", max_length=12, choices=FundingStatus.choices, default=FundingStatus.PLANNED
    )
    budget_circular = models.CharField("circulaire budgétaire qui notifie le financement", max_length=300, blank=True)
    campaign_opens_on = models.DateField("ouverture de la campagne", null=True, blank=True)
    campaign_closes_on = models.DateField("clôture de la campagne", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = "tranche"

    def __str__(self):
        return self.label

    def clean(self):
        errors = {}
        if self.funding_status == self.FundingStatus.NOTIFIED and not self.budget_circular.strip():
            errors["budget_circular"] = (
                "Un financement notifié cite la circulaire budgétaire qui le notifie (référence et date)."
            )
        if self.campaign_closes_on and not self.campaign_opens_on:
            errors["campaign_opens_on"] = "Indiquez la date d'ouverture de la campagne."
        if self.campaign_opens_on and self.campaign_closes_on and self.campaign_closes_on < self.campaign_opens_on:
            errors["campaign_closes_on"] = "La clôture de la campagne ne peut précéder son ouverture."
        if errors:
            raise ValidationError(errors)

    @property
    def is_notified(self) -> bool:
        return self.funding_status == self.FundingStatus.NOTIFIED

    def campaign_is_open(self, on: datetime.date | None = None) -> bool:
        """DGOS opened the campaign (an opening date reached) and has not closed it."""
        on = on or timezone.localdate()
        if not self.campaign_opens_on or on < self.campaign_opens_on:
            return False
        return not (self.campaign_closes_on and on > self.campaign_closes_on)

    def campaign_state_label(self, on: datetime.date | None = None) -> str:
        """French, for pages and refusal messages: "ouverte", "non ouverte", "ouverte le …", "close le …"."""
        on = on or timezone.localdate()
        if not self.campaign_opens_on:
            return "non ouverte par la DGOS"
        if on < self.campaign_opens_on:
            return "ouverture prévue le {d}".format(d=self.campaign_opens_on.strftime("%d/%m/%Y"))
        if self.campaign_closes_on and on > self.campaign_closes_on:
            return "close depuis le {d}".format(d=self.campaign_closes_on.strftime("%d/%m/%Y"))
        return "ouverte"


class RegionalQuota(models.Model):
    """Annexe 2: the number of CRC SEP a region may label in a tranche. Locked while labelling."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="quotas")
    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="quotas")
    quota = models.PositiveSmallIntegerField("quota")

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "tranche__number"]
        constraints = [models.UniqueConstraint(fields=["region", "tranche"], name="unique_quota_region_tranche")]
        verbose_name = "quota régional"

    def __str__(self):
        return f"{self.region} — {self.tranche} : {self.quota}"


class CrcSepCentreQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date):
        """Labelled on or before ``on`` and not withdrawn by then (2016 instruction, cover letter)."""
        return self.filter(labelled_on__lte=on).exclude(withdrawn_on__lte=on)


class CrcSepCentre(ChoiceLabels, models.Model):
    """A labelled CRC SEP (centre de ressources et de compétences sclérose en plaques)."""

    class Status(models.TextChoices):
        LABELLED = "labelled", "Labellisé"
        WITHDRAWN = "withdrawn", "Labellisation retirée"

    name = models.CharField("nom", max_length=200)
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="crc_sep_centres")
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="crc_sep_centres")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="crc_sep_centres")
    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="centres")
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.LABELLED)
    labelled_on = models.DateField("labellisé le")
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    coordinator = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="crc_sep_centres"
    )
    annual_funding = models.DecimalField(
        "financement annuel (€)", max_digits=12, decimal_places=2, default=ANNUAL_FUNDING_PER_CENTRE
    )
    source = models.CharField("décision de labellisation", max_length=200, blank=True)
    withdrawal_source = models.CharField("décision de retrait", max_length=200, blank=True)

    objects = CrcSepCentreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = "CRC SEP"
        verbose_name_plural = "CRC SEP"
        indexes = [models.Index(fields=["region", "tranche", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centres:crcsep_detail", args=[self.pk])

    def is_labelled_on(self, on: datetime.date) -> bool:
        """Labelled from ``labelled_on`` until the day before ``withdrawn_on``."""
        return self.labelled_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)

    def status_on(self, on: datetime.date) -> str:
        if self.labelled_on > on:
            return "planned"
        return "labelled" if self.is_labelled_on(on) else "withdrawn"


class Filiere(models.Model):
    """A rare-disease health network (filière de santé maladies rares, FSMR)."""

    name = models.CharField("nom", max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "filière"

    def __str__(self):
        return self.name


class Person(models.Model):
    """A named person (coordinator, candidate, director…), kept apart from user accounts."""

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    title = models.CharField("titre", max_length=100, blank=True, help_text="Pr, Dr, M., Mme…")
    civility = models.CharField(
        "civilité",
        max_length=3,
        blank=True,
        choices=[("Mme", "Madame"), ("M.", "Monsieur")],
        help_text="Accorde les fonctions dans les courriers (« coordonnatrice »).",
    )
    specialty = models.CharField("spécialité", max_length=200, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "personne"

    def __str__(self):
        return f"{self.title} {self.first_name} {self.last_name}".strip()


class DatedQuerySet(models.QuerySet):
    """Rows valid from ``start`` (inclusive) until ``end`` (exclusive: a row ended on D was last true on
    D − 1). A decision taken today with a later effective date is a row whose ``start`` is in the future:
    it becomes true on that day without anything being flipped."""

    def active_on(self, on: datetime.date):
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gt=on)).order_by("-start")

    def upcoming_after(self, on: datetime.date):
        """Decided but not yet in force on ``on``."""
        return self.filter(start__gt=on).order_by("start")


class CrcSepMandate(models.Model):
    """Who coordinates a CRC SEP, from when to when (2016 instruction, Annexe 1 §3: "un médecin coordonnateur,
    neurologue"). Opened by the labelling decision with the coordinator named in the application."""

    centre = models.ForeignKey(CrcSepCentre, on_delete=models.CASCADE, related_name="mandates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="crcsep_mandates")
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)
    source = models.CharField("acte d'origine", max_length=200, blank=True)
    ended_by = models.CharField("acte de fin", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-start"]
        verbose_name = "mandat de coordonnateur de CRC SEP"

    def __str__(self):
        return f"{self.person} — {self.centre} ({self.start}–{self.end or '…'})"


def in_force_on(row, on: datetime.date) -> bool:
    """``DatedQuerySet.active_on`` for a row already loaded: started by ``on`` and not yet ended."""
    return row.start <= on and (row.end is None or row.end > on)


class CrmrQuerySet(models.QuerySet):
    def with_current_coordinator(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.prefetch_related(
            models.Prefetch(
                "mandates",
                queryset=CoordinatorMandate.objects.active_on(on).select_related("person"),
                to_attr="current_mandates",
            )
        )


class Crmr(ChoiceLabels, models.Model):
    """A rare-disease reference centre (centre de référence maladies rares) labelled by arrêté."""

    class Kind(models.TextChoices):
        MONO = "mono", "Mono-site"
        MULTI = "multi", "Multi-sites"

    name = models.CharField("nom", max_length=250)
    filiere = models.ForeignKey(Filiere, on_delete=models.PROTECT, related_name="crmrs", verbose_name="filière")
    kind = models.CharField("type", max_length=5, choices=Kind.choices, default=Kind.MONO)
    # The two fields below are TODAY's value of dated facts (the coordinating ``CrmrSite`` and the open
    # ``MigAllocation`` rows), kept for the workflows' scoping (which ARS handles a dossier). They are
    # written only by ``centres.services`` (when an act takes effect on or before today, and by the daily
    # ``registry_refresh_current`` task for acts whose date has come). Registry pages, exports and the API
    # never read them: they read the dated rows at the requested date.
    coordinating_establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="coordinated_crmrs",
        verbose_name="établissement coordonnateur",
    )
    mig_amount = models.DecimalField(
        "dotation MIG de coordination (€)", max_digits=12, decimal_places=2, default=Decimal("0")
    )

    objects = CrmrQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "CRMR"
        verbose_name_plural = "CRMR"
        permissions = [("coordinate_crmr", "Coordonner ce CRMR")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centres:crmr_detail", args=[self.pk])

    @property
    def region(self) -> Region:
        return self.coordinating_establishment.region

    def current_mandate(self, on: datetime.date | None = None) -> CoordinatorMandate | None:
        if hasattr(self, "current_mandates"):
            return self.current_mandates[0] if self.current_mandates else None
        return self.mandates.active_on(on or timezone.localdate()).select_related("person").first()

    @property
    def coordinator(self) -> Person | None:
        mandate = self.current_mandate()
        return mandate.person if mandate else None

    @property
    def next_change(self) -> datetime.date | None:
        """The first date after the date read on which a decided change takes effect (rows annotated by
        ``centres.selectors.crmr_list``)."""
        dates = [getattr(self, name, None) for name in ("next_site_change", "next_mandate_change", "next_mig_change")]
        dates = [d for d in dates if d]
        return min(dates) if dates else None


class CrmrSite(models.Model):
    """A site of a CRMR in an establishment, with its role (coordinating or constitutive) for a period.

    The 2013 instruction, Annexe 1 (step 3 and "Affectation de la dotation MIG"): a transfer moves the coordination to
    another site of the same CRMR. The role is a dated fact: the transfer ends the rows in force on its
    effective date and opens the swapped roles from that date (``centres.services.coordination_transfer``)."""

    crmr = models.ForeignKey(Crmr, on_delete=models.CASCADE, related_name="sites")
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="crmr_sites")
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="crmr_sites")
    is_coordinating = models.BooleanField("site coordonnateur", default=False)
    lead = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_sites")
    start = models.DateField("début", default=datetime.date(2013, 7, 29))
    end = models.DateField("fin", null=True, blank=True)
    source = models.CharField("acte d'origine", max_length=200, blank=True)
    ended_by = models.CharField("acte de fin", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_coordinating", "establishment__name"]
        verbose_name = "site de CRMR"
        constraints = [
            models.UniqueConstraint(
                fields=["crmr"],
                condition=Q(is_coordinating=True, end__isnull=True),
                name="one_open_coordinating_site_per_crmr",
            )
        ]
        indexes = [models.Index(fields=["crmr", "start"])]

    def __str__(self):
        return f"{self.crmr} — {self.establishment}"


class CoordinatorMandate(models.Model):
    """Who coordinates a CRMR, from when to when. History is kept: a succession closes one and opens one."""

    crmr = models.ForeignKey(Crmr, on_delete=models.CASCADE, related_name="mandates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mandates")
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="+")
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)
    source = models.CharField("origine", max_length=200, blank=True, help_text="Référence de la décision")
    ended_by = models.CharField("acte de fin", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["crmr", "-start"]
        verbose_name = "mandat de coordonnateur"
        indexes = [models.Index(fields=["crmr", "start"])]

    def __str__(self):
        return f"{self.person} — {self.crmr} ({self.start}–{self.end or '…'})"


class MigAllocation(models.Model):
    """The MIG funding the coordination of a CRMR, per establishment and period (Annexe 1, MIG step)."""

    crmr = models.ForeignKey(Crmr, on_delete=models.CASCADE, related_name="mig_allocations")
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="mig_allocations")
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)
    reason = models.CharField("motif", max_length=300, blank=True)
    source = models.CharField("acte d'origine", max_length=200, blank=True)
    ended_by = models.CharField("acte de fin", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["crmr", "-start"]
        verbose_name = "dotation MIG"
        indexes = [models.Index(fields=["crmr", "start"])]


class CcmrQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date):
        return self.filter(
            Q(created_on__isnull=False, created_on__lte=on), Q(abrogated_on__isnull=True) | Q(abrogated_on__gt=on)
        )


class Ccmr(models.Model):
    """A competence centre (centre de compétences maladies rares) attached to a CRMR."""

    name = models.CharField("nom", max_length=250)
    crmr = models.ForeignKey(Crmr, on_delete=models.PROTECT, related_name="ccmrs", verbose_name="CRMR")
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="ccmrs", verbose_name="établissement"
    )
    team_lead = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="ccmrs", verbose_name="responsable"
    )
    team = models.TextField("équipe", blank=True)
    created_on = models.DateField("créé le", null=True, blank=True)
    abrogated_on = models.DateField("abrogé le", null=True, blank=True)
    source = models.CharField("acte de création", max_length=200, blank=True)
    abrogation_source = models.CharField("acte d'abrogation", max_length=200, blank=True)

    objects = CcmrQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "centre de compétences"
        verbose_name_plural = "centres de compétences"
        indexes = [models.Index(fields=["crmr", "abrogated_on"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centres:ccmr_detail", args=[self.pk])

    def status_on(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.abrogated_on and self.abrogated_on <= on:
            return "abrogated"
        if self.created_on and self.created_on <= on:
            return "active"
        return "planned"

    STATUS_LABELS = {"abrogated": "Abrogé", "active": "En activité", "planned": "En création"}

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status_on()]

    def status_label_on(self, on: datetime.date) -> str:
        return self.STATUS_LABELS[self.status_on(on)]


class RegistryEvent(ChoiceLabels, models.Model):
    """Append-only history of the registry: what changed, when it takes effect, and on whose decision."""

    class Kind(models.TextChoices):
        CRC_SEP_LABELLED = "crcsep_labelled", "CRC SEP labellisé"
        CRC_SEP_WITHDRAWN = "crcsep_withdrawn", "Labellisation CRC SEP retirée"
        COORDINATOR_CHANGED = "coordinator_changed", "Changement de coordonnateur"
        MANDATE_STARTED = "mandate_started", "Début de mandat de coordonnateur"
        MANDATE_ENDED = "mandate_ended", "Fin de mandat de coordonnateur"
        COORDINATION_TRANSFERRED = "coordination_transferred", "Transfert de la coordination"
        CCMR_CREATED = "ccmr_created", "Centre de compétences créé"
        CCMR_ABROGATED = "ccmr_abrogated", "Centre de compétences abrogé"
        MIG_ALLOCATED = "mig_allocated", "Dotation MIG attribuée"
        MIG_MOVED = "mig_moved", "Dotation MIG redéployée"
        MIG_DEBASED = "mig_debased", "Dotation MIG débasée"
        OTHER = "other", "Autre"

    kind = models.CharField("nature", max_length=30, choices=Kind.choices)
    effective_on = models.DateField("date d'effet")
    decided_on = models.DateField("date de la décision", null=True, blank=True)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)
    summary = models.CharField("résumé", max_length=500)
    letter_reference = models.CharField("référence du courrier", max_length=60, blank=True)
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    crc_sep_centre = models.ForeignKey(
        CrcSepCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    crmr = models.ForeignKey(Crmr, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    ccmr = models.ForeignKey(Ccmr, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-effective_on", "-recorded_at"]
        verbose_name = "événement du registre"


class OrphanetNotice(models.Model):
    """DGOS informs Orphanet of a change (2013 instruction, Annexe 1 and 2, last steps): a dated task, a reference."""

    event = models.OneToOneField(RegistryEvent, on_delete=models.PROTECT, related_name="orphanet_notice")
    communicated_on = models.DateField("communiqué le", null=True, blank=True)
    reference = models.CharField("référence de la communication", max_length=100, blank=True)
    communicated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["communicated_on", "-created_at"]
        verbose_name = "information d'Orphanet"

    @property
    def is_done(self) -> bool:
        return self.communicated_on is not None
