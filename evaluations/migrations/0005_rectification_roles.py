from django.db import migrations

from congress.roles import RECTIFICATION_GRANTS, grant


def rectification_roles(apps, schema_editor):
    for role, app_label, model_names, actions in RECTIFICATION_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff track the rectification; leaders follow it."""

    dependencies = [("evaluations", "0004_rectification")]

    operations = [migrations.RunPython(rectification_roles, migrations.RunPython.noop)]
