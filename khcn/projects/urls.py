from django.urls import path

from khcn.projects import views

urlpatterns = [
    path("nhiem-vu/", views.project_list, name="project-list"),
    path("nhiem-vu/de-xuat/", views.project_propose, name="project-propose"),
    path("nhiem-vu/cua-toi/", views.my_projects, name="project-mine"),
    path("nhiem-vu/tong-hop/", views.dashboard, name="project-dashboard"),
    path("nhiem-vu/dot/", views.call_list, name="call-list"),
    path("nhiem-vu/dot/moi/", views.call_create, name="call-create"),
    path("nhiem-vu/dot/<int:pk>/", views.call_detail, name="call-detail"),
    path("nhiem-vu/dot/<int:pk>/quyet-dinh/", views.call_decision, name="call-decision"),
    path("nhiem-vu/<int:pk>/", views.project_detail, name="project-detail"),
    path("nhiem-vu/<int:pk>/dang-ky/", views.project_apply, name="project-apply"),
    path("nhiem-vu/<int:pk>/du-toan/", views.budget_edit, name="project-budget"),
    path("nhiem-vu/<int:pk>/giao-truc-tiep/", views.direct_host, name="project-direct-host"),
    path("nhiem-vu/<int:pk>/hop-dong/", views.contract_create, name="project-contract"),
    path("nhiem-vu/<int:pk>/cap-kinh-phi/", views.disbursement_create, name="project-disburse"),
    path("nhiem-vu/<int:pk>/bao-cao/", views.report_create, name="project-report"),
    path("nhiem-vu/<int:pk>/kiem-tra/", views.inspection_create, name="project-inspection"),
    path("nhiem-vu/<int:pk>/dieu-chinh/", views.change_create, name="project-change"),
    path("nhiem-vu/<int:pk>/san-pham/", views.product_create, name="project-product"),
    path("nhiem-vu/<int:pk>/ung-dung/", views.application_report_create, name="project-use"),
    path("nhiem-vu/ho-so/<int:pk>/", views.application_detail, name="application-detail"),
    path("nhiem-vu/kiem-tra/<int:pk>/", views.inspection_result, name="inspection-result"),
    path("nhiem-vu/dieu-chinh/<int:pk>/", views.change_decide, name="change-decide"),
    path("nhiem-vu/san-pham/<int:pk>/xoa/", views.product_delete, name="product-delete"),
]
