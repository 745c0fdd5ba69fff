"""Year-round supervision outside the back office: the public board (/board/), the published
deliberation opinions (/deliberations/) and the unit portal's commitments (/unit/commitments/)."""

from django.urls import path

from .views import public, unit

app_name = "oversight"
urlpatterns = [
    path("board/", public.board, name="board"),
    path("board/<int:unit_pk>/", public.unit_board, name="unit_board"),
    path("deliberations/<int:pk>/", public.deliberation, name="deliberation"),
    path("unit/commitments/", unit.commitment_list, name="unit_commitments"),
    path("unit/commitments/<int:pk>/progress/", unit.report_progress, name="unit_report_progress"),
]
