from django.db import migrations

from congress.roles import SUGGESTION_GRANTS, grant


def suggestion_roles(apps, schema_editor):
    for role, app_label, model_names, actions in SUGGESTION_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff handle intake, assignment and supervision of suggestions; leaders read them."""

    dependencies = [("suggestions", "0001_initial"), ("congress", "0004_voting_roles")]

    operations = [migrations.RunPython(suggestion_roles, migrations.RunPython.noop)]
