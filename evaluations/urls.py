"""Evaluation pages outside the back office: the unit portal's rectification under
/unit/rectification/."""

from django.urls import path

from .views import unit

app_name = "evaluations"
urlpatterns = [
    path("unit/rectification/", unit.rectification_list, name="unit_rectifications"),
    path("unit/rectification/<int:pk>/", unit.detail, name="unit_rectification"),
    path("unit/rectification/<int:pk>/plan/", unit.submit_plan, name="unit_submit_plan"),
    path("unit/rectification/<int:pk>/report/", unit.submit_report, name="unit_submit_report"),
    path("unit/rectification/<int:pk>/items/<int:opinion_pk>/done/", unit.mark_done, name="unit_mark_done"),
]
