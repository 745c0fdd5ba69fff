from django.db import migrations

from congress.roles import EVALUATION_GRANTS, grant


def evaluation_roles(apps, schema_editor):
    for role, app_label, model_names, actions in EVALUATION_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff run the evaluations; leaders follow them."""

    dependencies = [("evaluations", "0001_initial"), ("congress", "0004_voting_roles")]

    operations = [migrations.RunPython(evaluation_roles, migrations.RunPython.noop)]
