from django.db import migrations

from congress.roles import create_roles


class Migration(migrations.Migration):
    """The five roles (staff, leader, member, deputy, liaison) with their permissions."""

    dependencies = [
        ("congress", "0001_initial"),
        ("auditlog", "__latest__"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
