"""Questionnaire pages: deputies under /m/surveys/, the public under /s/<评议码>/."""

from django.urls import path

from .views import deputy, public

app_name = "surveys"
urlpatterns = [
    path("m/surveys/", deputy.survey_list, name="list"),
    path("m/surveys/<int:pk>/", deputy.answer, name="answer"),
    path("s/", public.public_entry, name="public_entry"),
    path("s/<str:code>/", public.public_answer, name="public_answer"),
    path("s/<str:code>/thanks/", public.public_thanks, name="public_thanks"),
    path("s/<str:code>/qr.svg", public.public_qr, name="public_qr"),
]
