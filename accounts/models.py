"""User accounts and their role. A role binds the account to its scope (region, establishment, CRMR)."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from core.models import ChoiceLabels


class Role(models.TextChoices):
    ARS = "ars", "Agent d'ARS"
    DGOS = "dgos", "Agent DGOS – bureau PF2"
    GROUPE_PERMANENT = "gp", "Membre du groupe permanent"
    COORDINATOR = "coordinator", "Coordonnateur de CRMR"
    ESTABLISHMENT = "establishment", "Direction d'établissement"
    # 2016 instruction, Annexe 1 §4: "l'équipe en charge du centre" fills the annual report
    CRCSEP_TEAM = "crcsep_team", "Équipe CRC SEP"
    ADMIN = "admin", "Administrateur"


class User(ChoiceLabels, AbstractUser):
    """An account. ARS officers are bound to a region, directions to an establishment; a coordinator's
    CRMR are granted as django-guardian object permissions (``centres.coordinate_crmr``)."""

    class Digest(models.TextChoices):
        INSTANT = "instant", "Un courriel à chaque étape"
        DAILY = "daily", "Un récapitulatif quotidien"

    role = models.CharField("rôle", max_length=20, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "centres.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="région",
    )
    establishment = models.ForeignKey(
        "centres.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="établissement",
    )
    crc_sep_centre = models.ForeignKey(
        "centres.CrcSepCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_accounts",
        verbose_name="CRC SEP (équipe du centre)",
    )
    person = models.ForeignKey(
        "centres.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts"
    )
    function = models.CharField("fonction", max_length=200, blank=True)
    notification_mode = models.CharField("notifications", max_length=10, choices=Digest.choices, default=Digest.INSTANT)
    # The agent's ProConnect identifier, set at the first ProConnect sign-in (matched by e-mail then).
    proconnect_sub = models.CharField("identifiant ProConnect", max_length=255, blank=True, default="")

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.UniqueConstraint(
                fields=["proconnect_sub"], condition=~models.Q(proconnect_sub=""), name="unique_proconnect_sub"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="ars") | models.Q(region__isnull=False), name="ars_user_has_region"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="establishment") | models.Q(establishment__isnull=False),
                name="establishment_user_has_establishment",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="crcsep_team") | models.Q(crc_sep_centre__isnull=False),
                name="crcsep_team_user_has_centre",
            ),
        ]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def is_ars(self) -> bool:
        return self.role == Role.ARS

    @property
    def is_dgos(self) -> bool:
        return self.role == Role.DGOS

    @property
    def is_gp(self) -> bool:
        return self.role == Role.GROUPE_PERMANENT

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_establishment(self) -> bool:
        return self.role == Role.ESTABLISHMENT

    @property
    def is_crcsep_team(self) -> bool:
        """The team of one CRC SEP (Annexe 1 §4), bound to its centre."""
        return self.role == Role.CRCSEP_TEAM and self.crc_sep_centre_id is not None

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_national(self) -> bool:
        """DGOS, the groupe permanent and administrators see the whole country."""
        return self.role in (Role.DGOS, Role.GROUPE_PERMANENT, Role.ADMIN) or self.is_superuser
