from django.db import migrations

from congress.roles import SURVEY_GRANTS, grant


def survey_roles(apps, schema_editor):
    for role, app_label, model_names, actions in SURVEY_GRANTS:
        grant(apps, role, app_label, model_names, actions)


class Migration(migrations.Migration):
    """Staff build questionnaires and type in paper answers; leaders read the results."""

    dependencies = [("surveys", "0001_initial"), ("congress", "0004_voting_roles")]

    operations = [migrations.RunPython(survey_roles, migrations.RunPython.noop)]
