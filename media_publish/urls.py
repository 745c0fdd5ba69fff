"""The public site: home, columns, publications (/column/<column>/<publication>/), their files,
search and the page about the committee."""

from django.urls import path

from media_publish.views import public

app_name = "public"
urlpatterns = [
    path("", public.home, name="home"),
    path("about/", public.about, name="about"),
    path("columns/", public.column_index, name="columns"),
    path("column/<int:pk>/", public.column, name="column"),
    path("column/<int:column>/<int:pk>/", public.publication, name="publication"),
    path("column/<int:column>/<int:pk>/<str:name>/", public.publication_file, name="publication_file"),
    path("search/", public.search, name="search"),
]
