from django.db import migrations

from congress.roles import OUTBOX_GRANTS, grant


def outbox_roles(apps, schema_editor):
    for role, app_label, model_names, actions in OUTBOX_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff see what reached whom and retry deliveries; leaders see it."""

    dependencies = [("congress", "0008_outbox")]

    operations = [migrations.RunPython(outbox_roles, migrations.RunPython.noop)]
