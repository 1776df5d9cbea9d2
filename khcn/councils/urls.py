from django.urls import path

from khcn.councils import views

urlpatterns = [
    path("hoi-dong/", views.council_list, name="council-list"),
    path("hoi-dong/<int:pk>/", views.council_detail, name="council-detail"),
    path("hoi-dong/<int:pk>/phieu/", views.ballot, name="council-ballot"),
    path("hoi-dong/<int:pk>/khai-bao/", views.conflict_declare, name="council-conflict"),
    path("hoi-dong/<int:pk>/mo-phien/", views.council_open, name="council-open"),
    path("hoi-dong/<int:pk>/diem-danh/", views.attendance, name="council-attendance"),
    path("hoi-dong/<int:pk>/ket-luan/", views.council_close, name="council-close"),
    path("hoi-dong/<int:pk>/thay-thanh-vien/", views.member_replace, name="council-member-replace"),
    path("nhiem-vu/<int:project_pk>/hoi-dong/moi/", views.council_create, name="council-create"),
]
