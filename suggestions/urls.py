"""Suggestion pages: deputies under /m/suggestions/, units under /unit/suggestions/, the public
statistics under /statistics/suggestions/."""

from django.urls import path

from .views import deputy, public, unit

app_name = "suggestions"
urlpatterns = [
    path("m/suggestions/", deputy.suggestion_list, name="m_list"),
    path("m/suggestions/new/", deputy.edit, name="m_new"),
    path("m/suggestions/<int:pk>/", deputy.detail, name="m_detail"),
    path("m/suggestions/<int:pk>/edit/", deputy.edit, name="m_edit"),
    path("m/suggestions/<int:pk>/submit/", deputy.submit, name="m_submit"),
    path("m/suggestions/<int:pk>/cosign/", deputy.cosign, name="m_cosign"),
    path("m/suggestions/<int:pk>/send-now/", deputy.send_now, name="m_send_now"),
    path("m/suggestions/<int:pk>/rate/", deputy.rate, name="m_rate"),
    path("unit/suggestions/", unit.suggestion_list, name="unit_list"),
    path("unit/suggestions/<int:pk>/", unit.detail, name="unit_detail"),
    path("unit/suggestions/<int:pk>/<str:name>/", unit.action, name="unit_action"),
    path("statistics/suggestions/", public.statistics, name="public_statistics"),
    path("statistics/suggestions/<int:year>/", public.statistics, name="public_statistics_year"),
]
