from django.urls import path

from media_publish.views import public

app_name = "public"
urlpatterns = [
    path("", public.home, name="home"),
    path("about/", public.about, name="about"),
]
