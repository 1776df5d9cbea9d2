from django.urls import path

from khcn.core import calendar_views, views

urlpatterns = [
    path("tai-lieu/", views.attachment_list, name="attachment-list"),
    path("tai-lieu/<int:pk>/", views.attachment_detail, name="attachment-detail"),
    path(
        "tai-lieu/<int:pk>/v/<int:number>/tai-ve/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("lich-lam-viec/", calendar_views.calendar_year, name="calendar-year"),
    path(
        "quan-tri/lich-nghi/", calendar_views.calendar_override_list, name="calendar-override-list"
    ),
    path(
        "quan-tri/lich-nghi/moi/",
        calendar_views.calendar_override_create,
        name="calendar-override-create",
    ),
    path(
        "quan-tri/lich-nghi/<int:pk>/",
        calendar_views.calendar_override_edit,
        name="calendar-override-edit",
    ),
    path(
        "quan-tri/lich-nghi/<int:pk>/xoa/",
        calendar_views.calendar_override_delete,
        name="calendar-override-delete",
    ),
]
