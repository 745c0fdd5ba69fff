from django.db import migrations

from congress.roles import VOTING_GRANTS, grant


def voting_roles(apps, schema_editor):
    for role, app_label, model_names, actions in VOTING_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff run polls in the back office; leaders follow them."""

    dependencies = [("congress", "0003_voting")]

    operations = [migrations.RunPython(voting_roles, migrations.RunPython.noop)]
