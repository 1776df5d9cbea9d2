from django.urls import path

from khcn.web import views

urlpatterns = [path("", views.home, name="home")]
