from django.urls import path

from khcn.workflow import views

urlpatterns = [
    path("quy-trinh/", views.ruleset_list, name="ruleset-list"),
    path("quy-trinh/<slug:code>/", views.ruleset_detail, name="ruleset-detail"),
    path("ho-so-xu-ly/", views.process_list, name="process-list"),
    path("ho-so-xu-ly/<int:pk>/", views.process_detail, name="process-detail"),
    path("ho-so-xu-ly/<int:pk>/buoc/<slug:action>/", views.process_perform, name="process-perform"),
    path("ho-so-xu-ly/<int:pk>/tai-lieu/", views.process_attach, name="process-attach"),
    path("ho-so-xu-ly/<int:pk>/chuyen-quy-tac/", views.process_migrate, name="process-migrate"),
    path(
        "ho-so-xu-ly/<int:pk>/thoi-han/<int:deadline_pk>/mien/",
        views.deadline_waive,
        name="deadline-waive",
    ),
]
