from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page

from khcn.registry.sitemaps import SITEMAPS
from khcn.registry.views import duplicates, public, staff

SITEMAP_SECONDS = 60 * 60

urlpatterns = [
    # public register, no login
    path("csdl/", public.register_home, name="public-register"),
    path("csdl/linh-vuc/<str:code>/", public.field_page, name="public-field"),
    path("csdl/to-chuc/<int:pk>/", public.organisation_page, name="public-organisation"),
    path("csdl/nha-khoa-hoc/<int:pk>/", public.person_page, name="public-person"),
    path("csdl/ket-qua/<int:pk>/", public.result_page, name="public-result"),
    path("csdl/nhiem-vu/<int:pk>/", public.task_page, name="public-task"),
    path("csdl/tai-san-tri-tue/<int:pk>/", public.ip_asset_page, name="public-ip-asset"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # staff of the department
    path("co-so-du-lieu/", staff.home, name="registry-home"),
    path("co-so-du-lieu/don-vi-hanh-chinh/", staff.ward_options, name="registry-wards"),
    path("co-so-du-lieu/trung-lap/", duplicates.queue, name="registry-duplicates"),
    path("co-so-du-lieu/trung-lap/<int:pk>/", duplicates.flag_detail, name="registry-duplicate"),
    path("co-so-du-lieu/trung-lap/<int:pk>/gop/", duplicates.merge, name="registry-merge"),
    path("co-so-du-lieu/trung-lap/<int:pk>/bo-qua/", duplicates.dismiss, name="registry-dismiss"),
    path("co-so-du-lieu/lich-su-gop/", duplicates.history, name="registry-merges"),
    path(
        "co-so-du-lieu/lich-su-gop/<int:pk>/hoan-tac/", duplicates.undo, name="registry-merge-undo"
    ),
    path(
        "co-so-du-lieu/nha-khoa-hoc/<int:pk>/cong-tac/",
        staff.affiliation_add,
        name="registry-affiliation-add",
    ),
    path(
        "co-so-du-lieu/cong-tac/<int:pk>/ket-thuc/",
        staff.affiliation_end,
        name="registry-affiliation-end",
    ),
    path(
        "co-so-du-lieu/nha-khoa-hoc/<int:pk>/dong-y/", staff.consent, name="registry-person-consent"
    ),
]

for kind in staff.KINDS.values():
    urlpatterns += [
        path(
            f"co-so-du-lieu/{kind.slug}/",
            staff.record_list,
            {"kind": kind.key},
            name=f"registry-{kind.key}-list",
        ),
        path(
            f"co-so-du-lieu/{kind.slug}/them/",
            staff.record_create,
            {"kind": kind.key},
            name=f"registry-{kind.key}-create",
        ),
        path(
            f"co-so-du-lieu/{kind.slug}/<int:pk>/",
            staff.record_detail,
            {"kind": kind.key},
            name=f"registry-{kind.key}",
        ),
        path(
            f"co-so-du-lieu/{kind.slug}/<int:pk>/sua/",
            staff.record_edit,
            {"kind": kind.key},
            name=f"registry-{kind.key}-edit",
        ),
        path(
            f"co-so-du-lieu/{kind.slug}/<int:pk>/muc-truy-cap/",
            staff.access_change,
            {"kind": kind.key},
            name=f"registry-{kind.key}-access",
        ),
    ]

# imports, exports, OAI-PMH and the national export
urlpatterns.append(path("", include("khcn.registry.interop.urls")))
