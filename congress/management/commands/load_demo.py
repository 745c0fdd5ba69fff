"""``manage.py load_demo``: load the demo county for a trial run (scripts/run calls it)."""

from django.core.management.base import BaseCommand

from congress.demo import load_demo, load_extensions


class Command(BaseCommand):
    help = (
        "Load the demo county (清河县: deputies, standing committee, commissions, units, meetings and "
        "one login per role), then each app's demo data. Does nothing when it is already loaded or the "
        "registry holds real data."
    )

    def handle(self, *args, **options):
        load_demo(stdout=self.stdout)
        load_extensions(stdout=self.stdout)
