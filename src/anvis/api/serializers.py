"""Request and response shapes of API v1. Organisation-facing shapes carry no case data, and
of the citizen only what `anvis.vacancies.disclosure` allows the caller (`OfferSerializer.citizen`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anvis.agreements.labels import KIND_LABELS
from anvis.agreements.models import MAX_DEADLINE_WORKING_DAYS
from anvis.audit.services import Purpose, citizens_read
from anvis.stock.importing import TYPE_ALIASES
from anvis.stock.models import Department, Dwelling, Entrance
from anvis.vacancies import turns
from anvis.vacancies.choices import GuaranteeKindChoice, RejectionGroundChoice, VacancySource
from anvis.vacancies.limits import (
    MAX_CLAIM_AMOUNT,
    MAX_CLAIM_DESCRIPTION,
    MAX_MONTHLY_RENT,
    MAX_NOTE,
    MAX_REASON,
    MAX_REMARKS,
)
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer, Vacancy, VacancyEvent

from .fields import LocalDateTimeField, WholeNumberField, YesNoField
from .models import EventType, WebhookDelivery, WebhookSubscription


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """DRF's field, but an id no database can hold (beyond 64 bits, or the JSON number 1e400
    read as infinity) is an unknown id of this field like any other, not a request-wide error."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except OverflowError:
            self.fail("does_not_exist", pk_value=data)


# --- stock ----------------------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "organisation", "number", "name", "district", "build_year"]


class EntranceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entrance
        fields = ["id", "department", "street", "postal_code", "city"]


class DwellingSerializer(serializers.ModelSerializer):
    organisation = WholeNumberField(source="entrance.department.organisation_id")
    department = WholeNumberField(source="entrance.department_id")
    address = serializers.CharField(source="__str__")

    class Meta:
        model = Dwelling
        fields = [
            "id",
            "organisation",
            "department",
            "entrance",
            "address",
            "floor",
            "door",
            "dwelling_type",
            "rooms",
            "area_m2",
            "rent",
            "aconto",
            "deposit",
            "step_free",
            "elevator",
            "wheelchair",
            "pets_allowed",
        ]


# An optional stock field: left out keeps what is stored; null (or an empty value) clears it.
OPTIONAL = {"required": False, "allow_null": True}


class StockItemSerializer(serializers.Serializer):
    """One dwelling with its organisation, department and entrance; the same fields (Danish
    names) and rules as the stock import file (docs/import-stock.md). An optional field left
    out keeps the stored value; null or an empty value clears it, as an empty cell does."""

    cvr = serializers.RegexField(r"^[0-9]{8}$", max_length=8)
    organisation = serializers.CharField(max_length=200, allow_blank=True, **OPTIONAL)
    afdelingsnr = serializers.CharField(max_length=20)
    afdeling = serializers.CharField(max_length=200)
    bydel = serializers.CharField(max_length=100, allow_blank=True, **OPTIONAL)
    byggeaar = WholeNumberField(min_value=1600, max_value=2100, **OPTIONAL)
    adresse = serializers.CharField(max_length=200)
    postnr = serializers.RegexField(r"^[0-9]{4}$", max_length=4)
    by = serializers.CharField(max_length=100)
    dar_opgang = serializers.UUIDField(**OPTIONAL)
    etage = serializers.CharField(max_length=10, allow_blank=True, **OPTIONAL)
    doer = serializers.CharField(max_length=10, allow_blank=True, **OPTIONAL)
    type = serializers.CharField(
        allow_blank=True,
        help_text="The dwelling type in the file's words, in any case: "
        + ", ".join(w for w in sorted(TYPE_ALIASES) if w.isascii())
        + ". The stock import reads it (an unknown type is refused with its message).",
        **OPTIONAL,
    )
    vaerelser = WholeNumberField(min_value=1, max_value=20)
    m2 = WholeNumberField(min_value=1, max_value=1000)
    husleje = WholeNumberField(min_value=0, max_value=100_000)
    aconto = WholeNumberField(min_value=0, max_value=100_000, **OPTIONAL)
    depositum = WholeNumberField(min_value=0, max_value=1_000_000, **OPTIONAL)
    trinfri = YesNoField(**OPTIONAL)
    elevator = YesNoField(**OPTIONAL)
    koerestol = YesNoField(**OPTIONAL)
    husdyr = YesNoField(**OPTIONAL)
    dar_bolig = serializers.UUIDField(**OPTIONAL)

    def to_internal_value(self, data: Any) -> Any:
        # An empty value is null for an optional field whose type has no empty value of its
        # own (a number, yes/no, a UUID, the type), as an empty cell is in a file.
        if isinstance(data, dict):
            # A field the file has no column for is refused, as the file refuses an unknown
            # column: a misspelt optional field would otherwise keep the stored value unseen.
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({k: [_("unknown field")] for k in unknown})
            optional = {name for name, field in self.fields.items() if not field.required}
            data = {k: None if k in optional and v == "" else v for k, v in data.items()}
        return super().to_internal_value(data)


class StockUpsertSerializer(serializers.Serializer):
    items = StockItemSerializer(many=True, allow_empty=False, max_length=5000)


class StockUpsertResultSerializer(serializers.Serializer):
    rows = WholeNumberField()
    created = serializers.DictField(child=WholeNumberField())
    updated = serializers.DictField(child=WholeNumberField())


# --- vacancies ------------------------------------------------------------------------------------


class WhoseTurnSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(KIND_LABELS))
    label = serializers.CharField()
    happened = serializers.CharField()
    why = serializers.CharField()
    next = serializers.CharField()
    owed = serializers.CharField()
    text = serializers.CharField()


class VacancySerializer(serializers.ModelSerializer):
    status_label = serializers.SerializerMethodField()
    address = serializers.CharField(source="dwelling.__str__")
    whose_turn = serializers.SerializerMethodField(
        help_text="Whose turn the vacancy was, in the words of the vacancy page and the ledger "
        "(null when no agreement covered the dwelling on the report date)."
    )

    def get_status_label(self, vacancy: Vacancy) -> str:
        return turns.status_label(vacancy)

    @extend_schema_field(WhoseTurnSerializer(allow_null=True))
    def get_whose_turn(self, vacancy: Vacancy) -> dict[str, str] | None:
        turn = turns.vacancy_turn(vacancy)
        return turn.as_dict() if turn else None

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "organisation",
            "dwelling",
            "address",
            "source",
            "status",
            "status_label",
            "notice_date",
            "available_from",
            "report_date",
            "rent_at_letting",
            "response_deadline",
            "answered_on",
            "void_rent_start",
            "whose_turn",
            "created_at",
        ]


class VacancyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = VacancyEvent
        fields = ["at", "kind", "offer", "from_status", "to_status"]


class NomineeSerializer(serializers.Serializer):
    """The offer's citizen as the caller may see it (anvis.vacancies.disclosure): municipal
    callers the case number and name; the dwelling's organisation the citizen reference, and
    once the citizen has accepted the name, phone and e-mail; anyone else nothing (null)."""

    reference = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)


def _names_read(context: dict[str, Any], offers: list[Offer]) -> None:
    """A municipal caller reads the case number and name of each offer's citizen
    (`disclosure.nominee_for`): logged as the vacancy page logs them (`offer.names`, purpose
    allocation), one INSERT per answer, one row per citizen."""
    from anvis.vacancies.disclosure import MUNICIPAL_AUDIENCE, audience

    request = context.get("request")
    if request is None or audience(request.user) != MUNICIPAL_AUDIENCE or not offers:
        return
    citizens = {offer.case.citizen.pk: offer.case.citizen for offer in offers}
    citizens_read(request, citizens.values(), what="offer.names", purpose=Purpose.ALLOCATION)


class OfferListSerializer(serializers.ListSerializer):  # type: ignore[type-arg]
    """Offers in a list (the offer list, a vacancy's offers): the names a municipal caller
    reads are logged once for the whole answer."""

    def to_representation(self, data: Any) -> list[Any]:
        offers = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        _names_read(self.context, offers)
        return super().to_representation(offers)


class OfferSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    citizen = serializers.SerializerMethodField()

    def to_representation(self, instance: Offer) -> dict[str, Any]:
        if self.parent is None:  # one offer on its own; in a list the list logs
            _names_read(self.context, [instance])
        return super().to_representation(instance)

    class Meta:
        model = Offer
        list_serializer_class = OfferListSerializer
        fields = [
            "id",
            "vacancy",
            "status",
            "status_label",
            "offered_on",
            "response_deadline",
            "viewing_at",
            "answered_on",
            "rejection_ground",
            "citizen",
        ]

    @extend_schema_field(NomineeSerializer(allow_null=True))
    def get_citizen(self, offer: Offer) -> dict[str, Any] | None:
        from anvis.vacancies.disclosure import nominee_for, record_contact_access

        request = self.context.get("request")
        user = getattr(request, "user", None)
        who = nominee_for(user, offer)
        if not who.label:
            return None
        if who.citizen_id is not None:
            record_contact_access(user=user, nominees=[who], path=getattr(request, "path", ""))
        return {
            "reference": who.label,
            "name": who.name or None,
            "phone": who.phone or None,
            "email": who.email or None,
        }


class OfferCreateSerializer(serializers.Serializer):
    """An offer made by the municipality's system: the same gate as the offer dialogue."""

    vacancy = PrimaryKeyRelatedField(queryset=Vacancy.objects.none())
    case = serializers.CharField(
        max_length=32, help_text="The case number (S-…), never a CPR number."
    )
    response_working_days = WholeNumberField(
        min_value=1, max_value=MAX_DEADLINE_WORKING_DAYS, required=False
    )
    viewing_at = LocalDateTimeField(
        required=False,
        allow_null=True,
        help_text="With an offset, that instant; without one, a local time in Copenhagen (a "
        "time the clock skips or repeats is refused).",
    )
    soft_confirmed = serializers.BooleanField(
        default=False,
        help_text="The caller has considered the soft findings (affordability, size, "
        "accessibility, wishes).",
    )
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The allocation lead's written reason for overriding a cap, closure or "
        "agreement term (only for an allocation lead's token). Legal bars cannot be overridden.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = Vacancy.objects.restrict(user)


class VacancyDetailSerializer(VacancySerializer):
    events = VacancyEventSerializer(many=True, read_only=True)
    offers = OfferSerializer(many=True, read_only=True)

    class Meta(VacancySerializer.Meta):
        fields = [*VacancySerializer.Meta.fields, "events", "offers"]


class VacancyCreateSerializer(serializers.Serializer):
    dwelling = PrimaryKeyRelatedField(queryset=Dwelling.objects.none())
    notice_date = serializers.DateField()
    available_from = serializers.DateField()
    rent_at_letting = WholeNumberField(
        min_value=0,
        max_value=MAX_MONTHLY_RENT,
        required=False,
        allow_null=True,
        help_text="Leave out, null or empty: the dwelling's registered rent (as the page's "
        "empty field and the file's empty cell).",
    )
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=MAX_REMARKS)
    source = serializers.ChoiceField(
        choices=[
            (VacancySource.REPORT.value, VacancySource.REPORT.label),
            (VacancySource.VOLUNTARY.value, VacancySource.VOLUNTARY.label),
        ],
        default=VacancySource.REPORT.value,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dwelling"].queryset = Dwelling.objects.restrict(user)

    # The dates' rules (available before the notice date, too far ahead) are the vacancy's own
    # (`Vacancy.clean`, run by `vacancy_report`): refused there, in the page's words.


# A reason the service requires (a missing or blank one is refused by the service, in the words
# of the page's form): the body only limits its length.
REQUIRED_BY_SERVICE = {"required": False, "allow_blank": True, "default": ""}


class HandBackSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON,
        help_text=_("Why the municipality hands the dwelling back to ordinary letting."),
        **REQUIRED_BY_SERVICE,
    )


class LetOrdinarySerializer(serializers.Serializer):
    starts_on = serializers.DateField(
        help_text="The day the lease with the tenant from the organisation's own waiting list "
        "starts."
    )


class NomineeAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[("accept", _("Accept the nominee")), ("reject", _("Reject the nominee"))]
    )
    ground = serializers.ChoiceField(choices=RejectionGroundChoice.choices, required=False)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_NOTE,
        help_text="Kept with the answer (the audit record; a rejection's note on the offer), "
        "never on the vacancy's timeline.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["answer"] == "reject" and not attrs.get("ground"):
            raise serializers.ValidationError(
                {"ground": _("The organisation can reject a nominee only on a legal ground.")}
            )
        return attrs


class LeaseSerializer(serializers.ModelSerializer):
    cancellation_reason = serializers.SerializerMethodField(
        help_text="Why the lease was cancelled before move-in: read by the parties (the "
        "municipality, the housing organisation); null for anyone else (the steering group), "
        "as on the vacancy page (`anvis.vacancies.disclosure.sees_cancellation_reasons`)."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_cancellation_reason(self, lease: Lease) -> str | None:
        from anvis.vacancies.disclosure import sees_cancellation_reasons

        request = self.context.get("request")
        if not sees_cancellation_reasons(getattr(request, "user", None)):
            return None
        return lease.cancellation_reason

    class Meta:
        model = Lease
        fields = [
            "id",
            "vacancy",
            "offer",
            "signed_on",
            "starts_on",
            "move_in_on",
            "void_rent_days",
            "void_rent_amount",
            "void_rent_payer",
            "cancelled_on",
            "cancellation_reason",
        ]


class LeaseCancelSerializer(serializers.Serializer):
    cancelled_on = serializers.DateField(
        help_text="The day the lease was cancelled, between the signing day and today."
    )
    reason = serializers.CharField(
        max_length=MAX_REASON,
        help_text=_(
            "Why the lease was cancelled before move-in (the citizen withdrew, cannot be "
            "reached, the lease was annulled); seen by the caseworker and the organisation."
        ),
        **REQUIRED_BY_SERVICE,
    )


class LeaseCancelResultSerializer(serializers.Serializer):
    lease = LeaseSerializer()
    corrections = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Approved monthly statements corrected because the void rent runs again (a line "
            "each, docs/flow.md)."
        ),
    )


class LeaseCreateSerializer(serializers.Serializer):
    offer = PrimaryKeyRelatedField(queryset=Offer.objects.none())
    signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    move_in_on = serializers.DateField()

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.restrict(user)


class LeaseResultSerializer(serializers.Serializer):
    lease = LeaseSerializer()
    warnings = serializers.ListField(child=serializers.CharField())
    corrections = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Approved monthly statements the late lease corrected (a line each, docs/flow.md)."
        ),
    )


class GuaranteeClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuaranteeClaim
        fields = [
            "id",
            "lease",
            "kind",
            "event_date",
            "amount",
            "description",
            "status",
            "submitted_on",
            "decided_on",
            "decision_reason",
        ]


class GuaranteeClaimCreateSerializer(serializers.Serializer):
    lease = PrimaryKeyRelatedField(queryset=Lease.objects.none())
    kind = serializers.ChoiceField(choices=GuaranteeKindChoice.choices)
    event_date = serializers.DateField()
    amount = WholeNumberField(min_value=1, max_value=MAX_CLAIM_AMOUNT)
    description = serializers.CharField(max_length=MAX_CLAIM_DESCRIPTION)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lease"].queryset = Lease.objects.restrict(user)


# --- ledger ---------------------------------------------------------------------------------------


class LedgerFiguresSerializer(serializers.Serializer):
    eligible = WholeNumberField()
    expected = serializers.DecimalField(max_digits=12, decimal_places=2)
    delivered = WholeNumberField(help_text="Accepted + declined + expired.")
    offered = WholeNumberField(help_text="Delivered + pending.")
    accepted = WholeNumberField()
    declined = WholeNumberField()
    expired = WholeNumberField()
    pending = WholeNumberField()
    ordinary = WholeNumberField()
    withdrawn = WholeNumberField(
        help_text="Municipal turns the organisation let through its own waiting list."
    )
    extra = WholeNumberField()
    handed_back = WholeNumberField(
        help_text="Dwellings the municipality accepted and handed back, under terms that do not "
        "count a hand-back as delivered: not delivered, and not the organisation's own letting."
    )
    blocked = WholeNumberField(
        help_text="Vacancies the municipality could not use on the report day (department "
        "closed by monitoring, stairwell or department cap reached): neither owed nor delivered."
    )
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)


class LedgerRowSerializer(serializers.Serializer):
    key = WholeNumberField()
    label = serializers.CharField()
    organisation = serializers.CharField()
    quarter = LedgerFiguresSerializer()
    cumulative = LedgerFiguresSerializer()


class LedgerSerializer(serializers.Serializer):
    agreement = WholeNumberField()
    quarter = serializers.CharField()
    level = serializers.CharField()
    rows = LedgerRowSerializer(many=True)
    total_quarter = LedgerFiguresSerializer()
    total_cumulative = LedgerFiguresSerializer()


# --- webhooks -------------------------------------------------------------------------------------


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = ["id", "organisation", "url", "event_types", "active", "created_at"]


class WebhookSubscriptionCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), required=False, max_length=10
    )


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
        ]
