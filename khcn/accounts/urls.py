from django.contrib.auth import views as auth_views
from django.urls import path

from khcn.accounts import views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("mat-khau/doi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mat-khau/quen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mat-khau/quen/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mat-khau/dat-lai/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mat-khau/dat-lai/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/token/<int:pk>/thu-hoi/", views.token_revoke, name="token-revoke"),
    path("co-quan/chon/", views.agency_switch, name="agency-switch"),
    path("quan-tri/co-quan/", views.agency_list, name="agency-list"),
    path("quan-tri/co-quan/moi/", views.agency_create, name="agency-create"),
    path("quan-tri/co-quan/<int:pk>/", views.agency_edit, name="agency-edit"),
    path("quan-tri/nguoi-dung/", views.user_list, name="user-list"),
    path("quan-tri/nguoi-dung/moi/", views.user_create, name="user-create"),
    path("quan-tri/nguoi-dung/<int:pk>/", views.user_detail, name="user-detail"),
    path("quan-tri/nguoi-dung/<int:pk>/vai-tro/", views.user_grant_role, name="user-grant-role"),
    path("quan-tri/nguoi-dung/<int:pk>/mo-khoa/", views.user_unlock, name="user-unlock"),
    path("quan-tri/vai-tro/<int:pk>/thu-hoi/", views.membership_revoke, name="membership-revoke"),
]
