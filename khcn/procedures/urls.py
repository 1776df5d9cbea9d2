from django.urls import path

from khcn.procedures.views import filing, public, staff

urlpatterns = [
    # public, no login
    path("thu-tuc/", public.catalogue, name="procedure-catalogue"),
    path("thu-tuc/<str:code>/", public.procedure_detail, name="procedure-detail"),
    path("thu-tuc/<str:code>/mau/<slug:key>/", public.procedure_form, name="procedure-form"),
    path("tra-cuu/", public.lookup, name="dossier-lookup"),
    path("chung-nhan/", public.certificate_register, name="certificate-register"),
    path("chung-nhan/<int:pk>/", public.certificate_detail, name="certificate-detail"),
    # applicants
    path("thu-tuc/<str:code>/nop/", filing.dossier_file, name="dossier-file"),
    path("thu-tuc/<str:code>/nop/xem-lai/", filing.dossier_review, name="dossier-review"),
    path("ho-so-cua-toi/", filing.my_dossiers, name="dossier-mine"),
    path("ho-so-tthc/<int:pk>/da-nop/", filing.dossier_submitted, name="dossier-submitted"),
    path("ho-so-tthc/<int:pk>/bo-sung/", filing.dossier_supplement, name="dossier-supplement"),
    # the department
    path("ho-so-tthc/", staff.dossier_list, name="dossier-list"),
    path("ho-so-tthc/tiep-nhan/", staff.dossier_counter, name="dossier-counter"),
    path("ho-so-tthc/thong-ke/", staff.dossier_statistics, name="dossier-statistics"),
    path(
        "ho-so-tthc/thong-ke/excel/",
        staff.dossier_statistics_xlsx,
        name="dossier-statistics-xlsx",
    ),
    path("ho-so-tthc/<int:pk>/", staff.dossier_detail, name="dossier-detail"),
    path("ho-so-tthc/<int:pk>/buoc/<slug:action>/", staff.dossier_step, name="dossier-step"),
    path("ho-so-tthc/<int:pk>/cap-ket-qua/", staff.dossier_certificate, name="dossier-certificate"),
    path("ho-so-tthc/<int:pk>/xin-loi/", staff.dossier_apology, name="dossier-apology"),
]
