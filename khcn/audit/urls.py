from django.urls import path

from khcn.audit import views

urlpatterns = [
    path("nhat-ky/", views.event_list, name="audit-list"),
    path("nhat-ky/<int:seq>/", views.event_detail, name="audit-detail"),
]
