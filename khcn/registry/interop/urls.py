from django.urls import path

from khcn.registry.interop import views

urlpatterns = [
    path("co-so-du-lieu/nhap/", views.import_list, name="registry-import-list"),
    path(
        "co-so-du-lieu/nhap/mau/<str:kind>.<str:fmt>",
        views.import_template,
        name="registry-import-template",
    ),
    path("co-so-du-lieu/nhap/<int:pk>/", views.import_detail, name="registry-import-detail"),
    path(
        "co-so-du-lieu/nhap/<int:pk>/tien-do/",
        views.import_progress,
        name="registry-import-progress",
    ),
    path(
        "co-so-du-lieu/nhap/<int:pk>/xac-nhan/",
        views.import_confirm,
        name="registry-import-confirm",
    ),
    path("co-so-du-lieu/nhap/<int:pk>/huy/", views.import_cancel, name="registry-import-cancel"),
    path("co-so-du-lieu/xuat/<str:kind>.<str:fmt>", views.export_list, name="registry-export"),
    path("co-so-du-lieu/xuat-quoc-gia/", views.national_page, name="registry-national-export"),
    path("oai", views.oai_endpoint, name="oai"),
]
