from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.validators import validate_mobile


class Role(models.TextChoices):
    """The five kinds of people who log in. Each is a Django group of the same name (created by
    a data migration with its permissions); a person may hold several (a member is a deputy)."""

    STAFF = "staff", _("Committee staff")
    LEADER = "leader", _("Committee leader")
    MEMBER = "member", _("Standing committee member")
    DEPUTY = "deputy", _("Deputy")
    LIAISON = "liaison", _("Unit liaison")


class User(AbstractUser):
    """A person who logs in. Deputies and members are linked through Deputy.user; a handling
    unit's liaison (联络员) through ``unit``; staff and leaders use the back office."""

    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validate_mobile])
    unit = models.ForeignKey(
        "congress.Unit",
        verbose_name=_("liaison of unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaisons",
        help_text=_("Set for a handling unit's liaison, who works in the unit portal."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Chinese names are written family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    def has_role(self, role: str) -> bool:
        return any(g.name == role for g in self.groups.all())
