"""Build the related-suggestions index again from every suggestion: after an import of past
years' suggestions, or when the likeness changed. Decided proposals (confirmed or dismissed)
are kept; the undecided ones are proposed again."""

from django.core.management.base import BaseCommand

from suggestions import similarity


class Command(BaseCommand):
    help = "Rebuild the index of related suggestions (same matter, other years) and their proposals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--propose-since",
            type=int,
            default=None,
            help="only find proposals for the suggestions of this year and later (all by default)",
        )

    def handle(self, *args, propose_since=None, **options):
        similarity.rebuild(propose_since=propose_since, stdout=self.stdout)
