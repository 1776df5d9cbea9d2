from django.urls import path

from khcn.core import views

urlpatterns = [
    path("tai-lieu/", views.attachment_list, name="attachment-list"),
    path("tai-lieu/<int:pk>/", views.attachment_detail, name="attachment-detail"),
    path(
        "tai-lieu/<int:pk>/v/<int:number>/tai-ve/",
        views.attachment_download,
        name="attachment-download",
    ),
]
