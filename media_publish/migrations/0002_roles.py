from django.db import migrations

from congress.roles import PUBLICATION_GRANTS, grant


def publication_roles(apps, schema_editor):
    for role, app_label, model_names, actions in PUBLICATION_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff publish, schedule and withdraw; leaders read."""

    dependencies = [("media_publish", "0001_initial")]

    operations = [migrations.RunPython(publication_roles, migrations.RunPython.noop)]
