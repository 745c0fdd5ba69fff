from django.core.cache import cache

from congress.models import Committee


def committee(request):
    """The committee's name on every page (cached; changes only in the back office)."""
    name = cache.get("congress:committee-name")
    if name is None:
        row = Committee.objects.only("name").first()
        name = row.name if row else ""
        cache.set("congress:committee-name", name, 300)
    return {"committee_name": name}
