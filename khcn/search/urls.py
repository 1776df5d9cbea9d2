from django.urls import path

from khcn.search import views

urlpatterns = [
    path("tim-kiem/", views.search_page, name="search"),
]
