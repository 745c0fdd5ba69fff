"""Draw the default template of every document kind (GB/T 9704) from its python-docx code and
write it where the system ships it (``<app>/document_templates/<kind>.docx``)."""

from django.core.management.base import BaseCommand

from congress import documents
from congress.documents import layout


class Command(BaseCommand):
    help = "Build the default .docx template of every kind of official document."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="kind codes (all when none)")

    def handle(self, *args, **options):
        codes = options["kinds"] or list(documents.KINDS)
        for code in codes:
            kind = documents.get(code)
            document = layout.new_document()
            kind.build(document)
            path = kind.default_path
            path.parent.mkdir(parents=True, exist_ok=True)
            layout.save(document, path)
            self.stdout.write(f"{kind.name}: {path}")
