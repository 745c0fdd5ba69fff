from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congress.validators import validate_mobile

DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals, as terms are numbered (第十七届)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else DIGITS[tens]) + ("十" if tens else "") + (DIGITS[ones] if ones else "")


class Committee(models.Model):
    """The standing committee itself (人大常委会): one per installation, named on every page."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 某某县人大常委会"))
    county = models.CharField(_("county"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    document_code = models.CharField(
        _("document code"),
        max_length=20,
        blank=True,
        help_text=_("机关代字 that starts every document number, e.g. 清人常 gives 清人常〔2026〕12号."),
    )

    class Meta:
        verbose_name = _("standing committee")
        verbose_name_plural = _("standing committee")
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="committee_singleton")]

    def __str__(self):
        return self.name


class Term(models.Model):
    """A five-year term of office (届), e.g. 第十七届. Exactly one is current; evaluations aim to
    cover every unit once per term."""

    number = models.PositiveSmallIntegerField(_("term number"), unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_current = models.BooleanField(_("current term"), default=False)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_term"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="term_dates_ordered"),
        ]

    def __str__(self):
        number = chinese_numeral(self.number) if get_language().startswith("zh") else self.number
        return _("Term %(number)s") % {"number": number}


class Commission(models.Model):
    """A commission of the congress or its standing committee: a special commission (专门委员会,
    e.g. 财经委), a working commission (工作委员会) or an office (工作室). Commissions are paired with
    the units they follow (联系工委)."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("Special commission")
        WORKING = "working", _("Working commission")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    members = models.ManyToManyField(
        "congress.Deputy", through="congress.CommissionSeat", related_name="commissions", verbose_name=_("members")
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["special", "working", "office"]), name="commission_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class CommissionSeat(models.Model):
    """A deputy's seat on a commission: chair (主任委员), vice-chair or member."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="seats", verbose_name=_("commission")
    )
    deputy = models.ForeignKey(
        "congress.Deputy", on_delete=models.CASCADE, related_name="commission_seats", verbose_name=_("deputy")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("commission seat")
        verbose_name_plural = _("commission seats")
        constraints = [
            models.UniqueConstraint(fields=["commission", "deputy"], name="one_seat_per_commission"),
            models.UniqueConstraint(fields=["commission"], condition=Q(role="chair"), name="one_chair_per_commission"),
            models.CheckConstraint(condition=Q(role__in=["chair", "vice_chair", "member"]), name="seat_role_valid"),
        ]

    def __str__(self):
        return f"{self.commission} · {self.deputy} ({self.get_role_display()})"


class Unit(models.Model):
    """A body the committee supervises (一府两院 and government departments, and vertical units):
    the evaluated unit (被评议单位) or the handling unit of a suggestion (承办单位). Each is paired
    "point to point" with a liaison leader and a liaison commission."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("County government")
        COURT = "court", _("Court")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        DEPARTMENT = "department", _("Government department")
        VERTICAL = "vertical", _("Vertical unit")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.DEPARTMENT)
    liaison_leader = models.ForeignKey(
        "congress.Member",
        verbose_name=_("liaison leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_units",
    )
    liaison_commission = models.ForeignKey(
        Commission,
        verbose_name=_("liaison commission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_units",
    )
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["government", "court", "procuratorate", "department", "vertical"]),
                name="unit_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name


class OfficialManager(models.Manager):
    """Officials with their unit, which their name gives: every list, choice and filter of
    officials reads the units with them, not one query per official."""

    def get_queryset(self):
        return super().get_queryset().select_related("unit")


class Official(models.Model):
    """A person elected or appointed by the congress who heads (or helps lead) a unit: the
    reporter (述职人) of a duty evaluation."""

    class Appointment(models.TextChoices):
        ELECTED = "elected", _("Elected by the congress")
        APPOINTED = "appointed", _("Appointed by the standing committee")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("full name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officials", verbose_name=_("unit"))
    position = models.CharField(_("position"), max_length=50)
    appointment = models.CharField(
        _("appointment"), max_length=10, choices=Appointment.choices, default=Appointment.APPOINTED
    )
    is_head = models.BooleanField(_("head of the unit"), default=True)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validate_mobile])
    took_office = models.DateField(_("took office"), null=True, blank=True)
    active = models.BooleanField(_("in office"), default=True)

    objects = OfficialManager()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["unit__sort_order", "-is_head", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(is_head=True, active=True), name="one_head_per_unit"),
            models.CheckConstraint(
                condition=Q(appointment__in=["elected", "appointed"]), name="official_appointment_valid"
            ),
            models.CheckConstraint(condition=Q(gender__in=["M", "F"]), name="official_gender_valid"),
        ]

    def __str__(self):
        return f"{self.name}（{self.unit} {self.position}）"
