from django.urls import path

from khcn.documents import views

urlpatterns = [
    path("quan-tri/mau-van-ban/", views.template_list, name="document-template-list"),
    path(
        "quan-tri/mau-van-ban/<slug:code>/tai-mau/",
        views.template_download,
        name="document-template-download",
    ),
    path(
        "quan-tri/mau-van-ban/<slug:code>/xem-thu/",
        views.template_preview,
        name="document-template-preview",
    ),
    path(
        "quan-tri/mau-van-ban/<slug:code>/xem-thu/pdf/",
        views.template_preview,
        {"as_pdf": True},
        name="document-template-preview-pdf",
    ),
    path(
        "quan-tri/mau-van-ban/<slug:code>/thay/",
        views.template_upload,
        name="document-template-upload",
    ),
    path(
        "quan-tri/mau-van-ban/<slug:code>/khoi-phuc/",
        views.template_reset,
        name="document-template-reset",
    ),
]
