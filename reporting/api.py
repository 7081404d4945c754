"""Read-only JSON API (OpenAPI schema by drf-spectacular): the registry on a date and the changes since a
date.

The registry read rule (docs/decisions.md) applies here as on the pages: the centres in force are
published information, readable by every pilotage role (DGOS, administrators, ARS); an ARS's lists start
on its own region (``region`` defaults to it; ``region=toutes`` for the whole country) and a detail opens
whatever its region. Every registry endpoint reads at ``date`` (AAAA-MM-JJ, today by default)."""

import datetime

from django.db.models import Subquery
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from centres import selectors
from centres.dating import parse_registry_date
from centres.models import Ccmr, Crmr, Region, RegistryEvent

from .orphanet import orphanet_events


class PilotagePermission(permissions.IsAuthenticated):
    message = "Accès réservé à la DGOS, aux administrateurs et aux ARS."

    def has_permission(self, request, view):
        user = request.user
        return super().has_permission(request, view) and (user.is_dgos or user.is_platform_admin or user.is_ars)


class CoordinatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    since = serializers.DateField()


class CrmrSerializer(serializers.ModelSerializer):
    """A CRMR as it stands on the date read: coordinating establishment, coordinator and MIG on that day,
    and the first date a change already decided takes effect."""

    filiere = serializers.CharField(source="filiere.name")
    coordinating_establishment = serializers.CharField(source="coord_establishment_name", allow_null=True)
    finess_ej = serializers.CharField(source="coord_finess_ej", allow_null=True)
    region = serializers.CharField(source="coord_region_code", allow_null=True)
    mig_amount = serializers.DecimalField(source="mig_on", max_digits=12, decimal_places=2)
    next_change = serializers.DateField(allow_null=True)
    coordinator = serializers.SerializerMethodField()

    class Meta:
        model = Crmr
        fields = [
            "id",
            "name",
            "filiere",
            "kind",
            "coordinating_establishment",
            "finess_ej",
            "region",
            "mig_amount",
            "coordinator",
            "next_change",
        ]

    @extend_schema_field(CoordinatorSerializer(allow_null=True))
    def get_coordinator(self, obj) -> dict | None:
        mandate = obj.current_mandate()
        return {"name": str(mandate.person), "since": mandate.start} if mandate else None


class CcmrSerializer(serializers.ModelSerializer):
    crmr = serializers.PrimaryKeyRelatedField(read_only=True)
    establishment = serializers.CharField(source="establishment.name")
    finess_ej = serializers.CharField(source="establishment.finess_ej")
    region = serializers.CharField(source="establishment.region.code")
    status = serializers.ChoiceField(
        source="status_at", choices=["planned", "active", "abrogated"], help_text="Statut à la date lue."
    )

    class Meta:
        model = Ccmr
        fields = ["id", "name", "crmr", "establishment", "finess_ej", "region", "status", "created_on", "abrogated_on"]


class ChangeSerializer(serializers.ModelSerializer):
    crmr = serializers.PrimaryKeyRelatedField(read_only=True)
    ccmr = serializers.PrimaryKeyRelatedField(read_only=True)
    communicated_on = serializers.SerializerMethodField()

    class Meta:
        model = RegistryEvent
        fields = ["id", "kind", "effective_on", "summary", "letter_reference", "crmr", "ccmr", "communicated_on"]

    def get_communicated_on(self, obj) -> datetime.date | None:
        notice = getattr(obj, "orphanet_notice", None)
        return notice.communicated_on if notice else None


DATE_PARAMETER = OpenApiParameter(
    "date", OpenApiTypes.DATE, description="Date de lecture du registre (AAAA-MM-JJ) ; aujourd'hui par défaut."
)
REGION_PARAMETER = OpenApiParameter(
    "region",
    OpenApiTypes.STR,
    description="Code INSEE de la région, ou « toutes ». Par défaut : la région d'un agent d'ARS, sinon toutes.",
)


def _read_date(request) -> datetime.date:
    when = parse_registry_date(request.query_params.get("date"))
    if when.error:
        raise ValidationError({"date": when.error})
    return when.on


def _read_region(request):
    code = request.query_params.get("region")
    if code is None:
        return request.user.region if request.user.is_ars else None
    if code in ("", "toutes"):
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": "Région inconnue : indiquez un code INSEE (par exemple 53) ou « toutes »."})
    return region


@extend_schema(parameters=[DATE_PARAMETER, REGION_PARAMETER])
class CrmrViewSet(viewsets.ReadOnlyModelViewSet):
    """CRMR on a date: coordinating establishment, coordinator and MIG in force that day."""

    serializer_class = CrmrSerializer
    permission_classes = [PilotagePermission]

    def get_queryset(self):
        on = _read_date(self.request)
        sites = selectors.coordinating_site_on(on)
        qs = selectors.crmr_list(on).annotate(
            coord_finess_ej=Subquery(sites.values("establishment__finess_ej")[:1]),
            coord_region_code=Subquery(sites.values("establishment__region__code")[:1]),
        )
        region = _read_region(self.request) if self.action == "list" else None
        if region is not None:
            qs = qs.filter(selectors.crmr_in_region(region.code, on))
        return qs.order_by("pk")


@extend_schema(parameters=[DATE_PARAMETER, REGION_PARAMETER])
class CcmrViewSet(viewsets.ReadOnlyModelViewSet):
    """Competence centres with their status on a date (planned, active, abrogated)."""

    serializer_class = CcmrSerializer
    permission_classes = [PilotagePermission]

    def get_queryset(self):
        on = _read_date(self.request)
        qs = Ccmr.objects.select_related("establishment__region").annotate(status_at=selectors.ccmr_status_at(on))
        region = _read_region(self.request) if self.action == "list" else None
        if region is not None:
            qs = qs.filter(establishment__region=region)
        return qs.order_by("pk")


@extend_schema(
    parameters=[
        OpenApiParameter("since", OpenApiTypes.DATE, description="Date d'effet minimale (AAAA-MM-JJ)"),
        OpenApiParameter(
            "date",
            OpenApiTypes.DATE,
            description="Date de lecture (AAAA-MM-JJ) : seuls les changements en vigueur à cette date (date "
            "d'effet au plus tard ce jour-là). Sans date, tous les changements, y compris ceux à venir.",
        ),
    ]
)
class ChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """Changes Orphanet must know (coordinator changed, CCMR created or abrogated) since a date."""

    serializer_class = ChangeSerializer
    permission_classes = [PilotagePermission]

    def get_queryset(self):
        since = self.request.query_params.get("since")
        parsed = None
        if since:
            try:
                parsed = datetime.date.fromisoformat(since)
            except ValueError:
                raise ValidationError({"since": "Date attendue au format AAAA-MM-JJ."}) from None
        on = _read_date(self.request) if self.request.query_params.get("date") else None
        return orphanet_events(self.request.user, since=parsed, on=on).order_by("effective_on", "pk")
