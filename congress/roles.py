"""The permissions each role holds in the back office. Data migrations apply them, so a new
installation has working roles without anyone clicking through the admin; later apps add
their own models to a role with ``grant`` in their own data migrations."""

from django.contrib.auth.management import create_permissions

ROLE_NAMES = ["staff", "leader", "member", "deputy", "liaison"]

# app_label -> models the role may view (leader) or fully manage (staff).
REGISTRY_MODELS = [
    "committee",
    "term",
    "deputygroup",
    "deputy",
    "member",
    "commission",
    "commissionseat",
    "unit",
    "official",
    "meeting",
    "attendance",
    "reminder",
]
READ_ONLY_MODELS = ["notice", "reminderlog"]


def grant(apps, role: str, app_label: str, model_names: list[str], actions: list[str]) -> None:
    """Give ``role`` the ``actions`` (add/change/delete/view) on the named models."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after migrations run; make them now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # the migration state's stub lacks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    codenames = [f"{action}_{model}" for model in model_names for action in actions]
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(perms.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions not found for {app_label}: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(*perms)


def create_roles(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)
    grant(apps, "staff", "congress", REGISTRY_MODELS, ["add", "change", "delete", "view"])
    grant(apps, "staff", "congress", READ_ONLY_MODELS, ["view"])
    grant(apps, "staff", "congress", ["user"], ["add", "change", "view"])
    grant(apps, "leader", "congress", REGISTRY_MODELS + READ_ONLY_MODELS, ["view"])
    grant(apps, "staff", "auditlog", ["logentry"], ["view"])
    grant(apps, "leader", "auditlog", ["logentry"], ["view"])
