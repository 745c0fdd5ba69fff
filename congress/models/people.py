from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.validators import validate_id_number, validate_mobile


class DeputyGroup(models.Model):
    """A deputy group (代表小组): the deputies of one township (or sector) who take part in
    activities together. A county has about a dozen; surveys and reminders go out by group."""

    term = models.ForeignKey(
        "congress.Term", on_delete=models.PROTECT, related_name="deputy_groups", verbose_name=_("term")
    )
    name = models.CharField(_("name"), max_length=50)
    township = models.CharField(_("township"), max_length=30, blank=True)
    convener = models.ForeignKey(
        "congress.Deputy",
        verbose_name=_("convener"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="unique_group_name_per_term")]

    def __str__(self):
        return self.name


class Deputy(models.Model):
    """An elected deputy (人大代表) of this term, at the provincial, city, county or township
    level. Deputies answer questionnaires, vote and score at meetings, and submit suggestions;
    they reach the system on their phones through /m/."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Occupation(models.TextChoices):
        WORKER = "worker", _("Worker")
        FARMER = "farmer", _("Farmer")
        PROFESSIONAL = "professional", _("Professional and technical")
        CADRE = "cadre", _("Party and government cadre")
        BUSINESS = "business", _("Enterprise manager")
        MILITARY = "military", _("Military")
        OTHER = "other", _("Other")

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", _("Postgraduate")
        BACHELOR = "bachelor", _("Bachelor")
        COLLEGE = "college", _("Junior college")
        SECONDARY = "secondary", _("Senior or vocational secondary")
        JUNIOR = "junior", _("Junior secondary or below")

    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="deputies", verbose_name=_("term"))
    name = models.CharField(_("full name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Registers often keep the year and month only (出生年月 1962.01); the date is then the 1st.
    birth_month_only = models.BooleanField(
        _("year and month of birth only"), default=False, help_text=_("The register gives the year and month only.")
    )
    party = models.CharField(_("political affiliation"), max_length=20, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COUNTY)
    occupation = models.CharField(_("occupation category"), max_length=15, choices=Occupation.choices)
    education = models.CharField(_("education"), max_length=15, choices=Education.choices, blank=True)
    workplace = models.CharField(_("workplace and post"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("email"), blank=True)
    group = models.ForeignKey(
        DeputyGroup,
        verbose_name=_("deputy group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputies",
    )
    township = models.CharField(_("township or subdistrict"), max_length=30, blank=True)
    # 18 characters with the check digit (old 15-digit numbers are converted on the way in);
    # shown whole only to users with view_full_id_number, masked everywhere else.
    id_number = models.CharField(_("citizen ID number"), max_length=18, blank=True, validators=[validate_id_number])
    active = models.BooleanField(_("active"), default=True, help_text=_("Off when the deputy has left office."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    # Bumped to revoke every personal login link and QR code issued so far.
    login_link_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["group__sort_order", "id"]
        permissions = [("view_full_id_number", _("Can see full citizen ID numbers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "phone"], condition=~Q(phone=""), name="unique_deputy_phone_per_term"
            ),
            models.UniqueConstraint(
                fields=["term", "id_number"], condition=~Q(id_number=""), name="unique_deputy_id_number_per_term"
            ),
            models.CheckConstraint(
                condition=Q(id_number="") | Q(id_number__regex=r"^[0-9]{17}[0-9X]$"), name="deputy_id_number_form"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["province", "city", "county", "township"]), name="deputy_level_valid"
            ),
            models.CheckConstraint(condition=Q(gender__in=["M", "F"]), name="deputy_gender_valid"),
        ]
        indexes = [models.Index(fields=["term", "level", "active"], name="deputy_term_level_idx")]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def mask_id_number(value: str) -> str:
    """An ID number as shown to those who may not see it whole: 371526********1234 (the
    region of birth and the last four kept, the birth date hidden)."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


class MemberManager(models.Manager):
    """Members with their deputy, whose name names them: every list, choice and filter of members
    reads the names with the members, not one query per member."""

    def get_queryset(self):
        return super().get_queryset().select_related("deputy")


class Member(models.Model):
    """A member of the standing committee (常委会组成人员): director (主任), vice-director (副主任),
    secretary-general (秘书长) or member (委员), full-time or not. At county level every member is
    a deputy, so the person's data lives on their Deputy record."""

    class Position(models.TextChoices):
        DIRECTOR = "director", _("Director")
        VICE_DIRECTOR = "vice_director", _("Vice-director")
        SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
        MEMBER = "member", _("Member")

    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="members", verbose_name=_("term"))
    deputy = models.OneToOneField(Deputy, on_delete=models.PROTECT, related_name="member", verbose_name=_("deputy"))
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, default=Position.MEMBER)
    full_time = models.BooleanField(_("full-time"), default=False)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = MemberManager()

    class Meta:
        verbose_name = _("standing committee member")
        verbose_name_plural = _("standing committee members")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"], condition=Q(position="director", active=True), name="one_director_per_term"
            ),
            models.CheckConstraint(
                condition=Q(position__in=["director", "vice_director", "secretary_general", "member"]),
                name="member_position_valid",
            ),
        ]

    def __str__(self):
        return f"{self.deputy.name}（{self.get_position_display()}）"

    @property
    def is_leader(self) -> bool:
        """The director's meeting (主任会议): director, vice-directors and secretary-general."""
        return self.position != self.Position.MEMBER
