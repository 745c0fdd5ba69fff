from django.db import migrations

from congress.roles import grant


def voting_roles(apps, schema_editor):
    grant(apps, "staff", "congress", ["poll", "pollitem"], ["add", "change", "delete", "view"])
    grant(apps, "staff", "congress", ["votercode", "pollresult", "pollvoter"], ["view"])
    grant(apps, "leader", "congress", ["poll", "pollitem", "pollresult"], ["view"])


class Migration(migrations.Migration):
    """Staff run polls in the back office; leaders follow them."""

    dependencies = [("congress", "0003_voting")]

    operations = [migrations.RunPython(voting_roles, migrations.RunPython.noop)]
