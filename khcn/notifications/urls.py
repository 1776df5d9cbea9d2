from django.urls import path

from khcn.notifications import views

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notification-list"),
    path("thong-bao/da-doc/", views.mark_read, name="notification-mark-read"),
    path("thong-bao/cai-dat/", views.preferences, name="notification-preferences"),
]
