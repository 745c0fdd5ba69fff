from django.db import migrations

from congress.roles import OVERSIGHT_GRANTS, grant


def oversight_roles(apps, schema_editor):
    for role, app_label, model_names, actions in OVERSIGHT_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff keep the year-round supervision; leaders follow it."""

    dependencies = [("oversight", "0001_initial"), ("congress", "0004_voting_roles")]

    operations = [migrations.RunPython(oversight_roles, migrations.RunPython.noop)]
