"""The permissions each role holds in the back office. Data migrations apply them, so a new
installation has working roles without anyone clicking through the admin; later apps add
their own models to a role with ``grant`` in their own data migrations."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.utils import translation
from django.utils.translation import gettext_lazy as _

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
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True  # the migration state's stub lacks it
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    else:
        create_permissions(app_config, verbosity=0, apps=apps)
    codenames = [f"{action}_{model}" for model in model_names for action in actions]
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(perms.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions not found for {app_label}: {sorted(missing)}")
    group, _created = Group.objects.get_or_create(name=role)
    group.permissions.add(*perms)


ALL = ["add", "change", "delete", "view"]
BASE_GRANTS = [
    ("staff", "congress", REGISTRY_MODELS, ALL),
    ("staff", "congress", READ_ONLY_MODELS, ["view"]),
    ("staff", "congress", ["user"], ["add", "change", "view"]),
    ("leader", "congress", REGISTRY_MODELS + READ_ONLY_MODELS, ["view"]),
    ("staff", "auditlog", ["logentry"], ["view"]),
    ("leader", "auditlog", ["logentry"], ["view"]),
]
VOTING_GRANTS = [
    ("staff", "congress", ["poll", "pollitem"], ALL),
    ("staff", "congress", ["votercode", "pollresult", "pollvoter"], ["view"]),
    ("leader", "congress", ["poll", "pollitem", "pollresult"], ["view"]),
]
# The outbox: staff see what reached whom and send failed or held deliveries again (change);
# leaders see it.
OUTBOX_GRANTS = [
    ("staff", "congress", ["delivery"], ["view", "change"]),
    ("leader", "congress", ["delivery"], ["view"]),
]
SURVEY_GRANTS = [
    ("staff", "surveys", ["survey", "section", "question", "choice", "response", "answer"], ALL),
    ("leader", "surveys", ["survey", "section", "question", "choice", "response", "answer"], ["view"]),
]
EVALUATION_MODELS = [
    "termplan",
    "planentry",
    "campaign",
    "phase",
    "campaignsurvey",
    "symposium",
    "topic",
    "topicmention",
    "candidate",
    "surveyteam",
    "subject",
    "checklistitem",
    "evidence",
    "contentitem",
    "surveyreport",
    "question",
    "result",
]
EVALUATION_GRANTS = [
    ("staff", "evaluations", EVALUATION_MODELS, ALL),
    ("leader", "evaluations", EVALUATION_MODELS, ["view"]),
]
RECTIFICATION_MODELS = ["rectification", "opinion", "submission", "submissionitem", "interview", "inquirymotion"]
RECTIFICATION_GRANTS = [
    ("staff", "evaluations", RECTIFICATION_MODELS, ALL),
    ("leader", "evaluations", RECTIFICATION_MODELS, ["view"]),
]
SUGGESTION_MODELS = [
    "congresssession",
    "category",
    "suggestion",
    "cosigner",
    "attachment",
    "suggestionlink",
    "assignment",
    "reply",
    "feedback",
    "contactlog",
    "keysuggestion",
    "trackingitem",
    "supervisionactivity",
    "yearstatistics",
]
SUGGESTION_GRANTS = [
    ("staff", "suggestions", SUGGESTION_MODELS, ALL),
    ("leader", "suggestions", SUGGESTION_MODELS, ["view"]),
]
OVERSIGHT_MODELS = ["commitment", "commitmentupdate", "activity", "specialinquiry", "inquiryquestion", "deliberation"]
OVERSIGHT_GRANTS = [
    ("staff", "oversight", OVERSIGHT_MODELS, ALL),
    ("leader", "oversight", OVERSIGHT_MODELS, ["view"]),
]
PUBLICATION_MODELS = ["column", "recording", "broadcastslot", "publication"]
PUBLICATION_GRANTS = [
    ("staff", "media_publish", PUBLICATION_MODELS, ALL),
    ("staff", "media_publish", ["publication"], ["publish"]),
    ("leader", "media_publish", PUBLICATION_MODELS, ["view"]),
]
# Official documents: staff issue them and keep the county's templates; leaders read them.
DOCUMENT_GRANTS = [
    ("staff", "congress", ["issueddocument"], ["add", "view"]),
    ("staff", "congress", ["documenttemplate"], ["add", "view"]),
    ("leader", "congress", ["issueddocument", "documenttemplate"], ["view"]),
]
# Every grant in force today; apps add theirs here as they add models (and a data migration).
CURRENT_GRANTS = (
    BASE_GRANTS
    + VOTING_GRANTS
    + SURVEY_GRANTS
    + EVALUATION_GRANTS
    + RECTIFICATION_GRANTS
    + SUGGESTION_GRANTS
    + OVERSIGHT_GRANTS
    + PUBLICATION_GRANTS
    + DOCUMENT_GRANTS
)


def _apply(apps, grants) -> None:
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)
    for role, app_label, model_names, actions in grants:
        grant(apps, role, app_label, model_names, actions)


def create_roles(apps, schema_editor) -> None:
    """Data migration 0002: the five roles and their first permissions."""
    _apply(apps, BASE_GRANTS)


def sync_roles(sender=None, *, apps=None, using="default", **kwargs) -> None:
    """After every migrate (and every test-database flush, which empties the groups), make
    sure the roles hold the permissions in force today. Idempotent."""
    from django.apps import apps as global_apps

    _apply(apps or global_apps, CURRENT_GRANTS)


PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def name_permissions_in_chinese(sender, *, using="default", **kwargs) -> None:
    """Django names each model's permissions when it creates them, in English ("Can add access
    attempt"), and the back office lists them by that name in the user and role forms. After
    each app's permissions are made, they are named in the interface's language: the standard
    four as 可添加会议 and so on, a model's own by the (translated) name its Meta gives them.
    Idempotent."""
    from django.contrib.auth.models import Permission

    permissions = Permission.objects.using(using).filter(content_type__app_label=sender.label)
    renamed = []
    with translation.override(settings.LANGUAGE_CODE):
        for permission in permissions.select_related("content_type"):
            model = permission.content_type.model_class()
            if model is None:
                continue  # a permission of a model removed since
            custom = dict(model._meta.permissions).get(permission.codename)
            action = permission.codename.removesuffix(f"_{model._meta.model_name}")
            if custom is not None:
                name = str(custom)[:255]
            elif action in PERMISSION_ACTIONS:
                name = str(PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name})[:255]
            else:
                continue
            if permission.name != name:
                permission.name = name
                renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
