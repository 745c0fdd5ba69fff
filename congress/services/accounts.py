"""Logins: roles, deputies' accounts and their personal login links (QR codes)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Deputy, Role, User
from congress.services import audit

LINK_SALT = "congress.deputy-login-link"


class LoginLinkError(Exception):
    """A personal login link that cannot be used; the message says why, in Chinese."""


def grant_role(user: User, role: Role, *, by=None) -> None:
    """Give ``user`` a role. Staff and leaders get into the back office (is_staff)."""
    with transaction.atomic():
        user.groups.add(Group.objects.get(name=role))
        if role in (Role.STAFF, Role.LEADER) and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        audit.record(user, "grant_role", actor=by, role=str(role))


def ensure_deputy_user(deputy: Deputy, *, by=None) -> User:
    """The deputy's login account, created on first need (no password: deputies come in by
    their personal link; staff may set one). Members also get the member role."""
    if deputy.user_id:
        return deputy.user
    with transaction.atomic():
        deputy = Deputy.objects.select_for_update(of=("self",)).select_related("member").get(pk=deputy.pk)
        if deputy.user_id:
            return deputy.user
        user = User(username=f"deputy{deputy.pk}", last_name=deputy.name, phone=deputy.phone, email=deputy.email)
        user.set_unusable_password()
        user.save()
        roles = [Role.DEPUTY]
        if hasattr(deputy, "member"):
            roles.append(Role.MEMBER)
        user.groups.add(*Group.objects.filter(name__in=roles))
        deputy.user = user
        deputy.save(update_fields=["user"])
        audit.record(deputy, "create_login", actor=by)
    return user


def login_token(deputy: Deputy) -> str:
    """A signed token naming the deputy and the current link version; it expires after
    DEPUTY_LINK_MAX_AGE_DAYS and dies when staff revoke the deputy's links."""
    return signing.dumps([deputy.pk, deputy.login_link_version], salt=LINK_SALT, compress=True)


def login_url(deputy: Deputy) -> str:
    return settings.SITE_URL + reverse("deputy_link_login", args=[login_token(deputy)])


def deputy_for_token(token: str) -> Deputy:
    """The deputy a personal link belongs to, or LoginLinkError with the reason."""
    max_age = settings.DEPUTY_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        pk, version = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LoginLinkError(_("This login link has expired. Ask the committee office for a new one.")) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LoginLinkError(_("This login link is not valid. Check that it was copied whole.")) from exc
    deputy = Deputy.objects.filter(pk=pk).select_related("user").first()
    if deputy is None or not deputy.active:
        raise LoginLinkError(_("This login link belongs to no active deputy."))
    if version != deputy.login_link_version:
        raise LoginLinkError(_("This login link has been revoked. Ask the committee office for a new one."))
    return deputy


def revoke_login_links(deputies, *, by=None) -> int:
    """Invalidate every personal link and QR code issued so far to these deputies (a lost
    phone, a printed sheet gone astray). New links work at once."""
    ids = [d.pk for d in deputies]
    with transaction.atomic():
        count = Deputy.objects.filter(pk__in=ids).update(login_link_version=F("login_link_version") + 1)
        for deputy in Deputy.objects.filter(pk__in=ids):
            audit.record(deputy, "revoke_login_links", actor=by)
    return count


def first_login_url(user: User) -> str:
    """The link a login without a password (a unit's liaison, created by the units' import or
    by hand) follows to set their own password and come in: Django's password-reset token,
    which dies once the password is set or after PASSWORD_RESET_TIMEOUT. Handed over on the
    printed slip (a QR code, like the deputies' personal links) or sent by SMS."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse("first_login", args=[uid, default_token_generator.make_token(user)])


class AccountError(Exception):
    """An account that cannot be made as asked; the message says why, in Chinese."""


def add_liaison(unit, *, name: str, phone: str, by) -> User:
    """Give a unit its liaison (联络员): a login named by the mobile number, with the liaison
    role, so that opinions delivered and reminders about the unit's work reach someone. No
    password: the liaison sets one by the link of their first-login slip (``first_login_url``)."""
    from django.core.exceptions import ValidationError

    from congress.validators import normalize_mobile

    name = (name or "").strip()
    if not name:
        raise AccountError(_("Give the liaison's name."))
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        if User.objects.filter(username=phone).exists():
            raise AccountError(_("Another login is already named %(value)s.") % {"value": phone})
        user = User(username=phone, last_name=name, phone=phone, unit=unit)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.LIAISON))
        audit.record(user, "add_liaison", actor=by, unit=unit.pk)
    return user
