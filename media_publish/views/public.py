"""The public site (/): what the committee has published. Publications arrive with the
publication issue; today the site presents the committee and the way in for deputies and units."""

from django.shortcuts import render

from congress import selectors


def home(request):
    return render(request, "public/home.html")


def about(request):
    return render(request, "public/about.html", selectors.public_registry())
