"""Read-only JSON API (OpenAPI schema by drf-spectacular): the registry and the changes since a date.

Signed-in DGOS and administrators see the whole country; an ARS only its region's objects."""

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from centres.models import Ccmr, Crmr, RegistryEvent

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
    filiere = serializers.CharField(source="filiere.name")
    coordinating_establishment = serializers.CharField(source="coordinating_establishment.name")
    finess_ej = serializers.CharField(source="coordinating_establishment.finess_ej")
    region = serializers.CharField(source="coordinating_establishment.region.code")
    coordinator = serializers.SerializerMethodField()

    class Meta:
        model = Crmr
        fields = ["id", "name", "filiere", "kind", "coordinating_establishment", "finess_ej", "region", "coordinator"]

    @extend_schema_field(CoordinatorSerializer(allow_null=True))
    def get_coordinator(self, obj) -> dict | None:
        mandate = obj.current_mandate()
        return {"name": str(mandate.person), "since": mandate.start} if mandate else None


class CcmrSerializer(serializers.ModelSerializer):
    crmr = serializers.PrimaryKeyRelatedField(read_only=True)
    establishment = serializers.CharField(source="establishment.name")
    finess_ej = serializers.CharField(source="establishment.finess_ej")
    region = serializers.CharField(source="establishment.region.code")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Ccmr
        fields = ["id", "name", "crmr", "establishment", "finess_ej", "region", "status", "created_on", "abrogated_on"]

    def get_status(self, obj) -> str:
        return obj.status_on()


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


class CrmrViewSet(viewsets.ReadOnlyModelViewSet):
    """CRMR with their current coordinator."""

    serializer_class = CrmrSerializer
    permission_classes = [PilotagePermission]

    def get_queryset(self):
        qs = Crmr.objects.select_related("filiere", "coordinating_establishment__region").with_current_coordinator(
            timezone.localdate()
        )
        if self.request.user.is_ars:
            qs = qs.filter(coordinating_establishment__region=self.request.user.region)
        return qs.order_by("pk")


class CcmrViewSet(viewsets.ReadOnlyModelViewSet):
    """Competence centres with their status (planned, active, abrogated)."""

    serializer_class = CcmrSerializer
    permission_classes = [PilotagePermission]

    def get_queryset(self):
        qs = Ccmr.objects.select_related("establishment__region")
        if self.request.user.is_ars:
            qs = qs.filter(establishment__region=self.request.user.region)
        return qs.order_by("pk")


@extend_schema(
    parameters=[OpenApiParameter("since", OpenApiTypes.DATE, description="Date d'effet minimale (AAAA-MM-JJ)")]
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
        return orphanet_events(self.request.user, since=parsed).order_by("effective_on", "pk")
