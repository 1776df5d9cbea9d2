"""/sitemap.xml: every public page of the register, so search engines find them.

Only what an anonymous visitor may open is listed: public, not merged organisations and
people, public results and IP assets, approved tasks (`page_selectors.public_tasks`), and
the catalogue pages (register, search, fields of science, procedures catalogue).
"""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from khcn.registry import page_selectors as ps
from khcn.registry.models import Access, FieldOfScience, IPAsset, Organisation, Person, Result


class _RecordSitemap(Sitemap):
    url_name = ""
    changefreq = "monthly"
    limit = 10_000

    def location(self, obj) -> str:
        return reverse(self.url_name, args=[obj.pk])

    def lastmod(self, obj):
        return getattr(obj, "updated_at", None)


class OrganisationSitemap(_RecordSitemap):
    url_name = "public-organisation"
    priority = 0.6

    def items(self):
        return (
            Organisation.objects.active()
            .filter(access=Access.PUBLIC)
            .only("pk", "updated_at")
            .order_by("pk")
        )


class PersonSitemap(_RecordSitemap):
    url_name = "public-person"
    priority = 0.5

    def items(self):
        return (
            Person.objects.active()
            .filter(access=Access.PUBLIC)
            .only("pk", "updated_at")
            .order_by("pk")
        )


class ResultSitemap(_RecordSitemap):
    url_name = "public-result"
    priority = 0.7

    def items(self):
        return Result.objects.filter(access=Access.PUBLIC).only("pk", "updated_at").order_by("pk")


class IPAssetSitemap(_RecordSitemap):
    url_name = "public-ip-asset"
    priority = 0.6

    def items(self):
        return IPAsset.objects.filter(access=Access.PUBLIC).only("pk", "updated_at").order_by("pk")


class TaskSitemap(_RecordSitemap):
    url_name = "public-task"
    priority = 0.7

    def items(self):
        return ps.public_tasks().select_related(None).only("pk").order_by("pk")

    def lastmod(self, obj):
        return None


class CatalogueSitemap(Sitemap):
    """The register's front page, the search page, one page per field of science and the
    catalogue of administrative procedures (when that module is installed)."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        names = ["public-register", "search", "procedure-catalogue", "certificate-register"]
        items = []
        for name in names:
            try:
                items.append(reverse(name))
            except NoReverseMatch:
                continue
        items += [
            reverse("public-field", args=[code])
            for code in FieldOfScience.objects.order_by("code").values_list("code", flat=True)
        ]
        return items

    def location(self, item: str) -> str:
        return item


SITEMAPS = {
    "catalogue": CatalogueSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "results": ResultSitemap,
    "tasks": TaskSitemap,
    "ip-assets": IPAssetSitemap,
}
