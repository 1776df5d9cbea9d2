"""The procedures' searchable types: the public catalogue and the register of valid
certificates (dossiers are not indexed: they carry applicants' personal data)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khcn.procedures.models import Certificate, Procedure
from khcn.search.registry import SearchType, register

register(
    SearchType(
        key="procedure",
        label=_("Thủ tục hành chính"),
        model=Procedure,
        title=lambda p: p.name,
        text=lambda p: [p.name, p.code, p.field, p.legal_basis, p.responsible_unit],
        url=lambda p: reverse("procedure-detail", args=[p.code]),
        access=lambda p: "public",
        agency_id=lambda p: p.agency_id,
        queryset=lambda: Procedure.objects.filter(active=True),
        include=lambda p: p.active,
        icon="file-earmark-check",
    )
)

register(
    SearchType(
        key="certificate",
        label=_("Giấy chứng nhận"),
        model=Certificate,
        title=lambda c: f"{c.get_type_display()} số {c.number}: {c.holder_name}",
        text=lambda c: [c.holder_name, c.number, c.holder_tax_code, c.content],
        url=lambda c: reverse("certificate-detail", args=[c.pk]),
        access=lambda c: "public",
        agency_id=lambda c: c.agency_id,
        facets=lambda c: {"year": c.issued_on.year},
        queryset=lambda: Certificate.objects.filter(status=Certificate.Status.VALID),
        include=lambda c: c.status == Certificate.Status.VALID,
        icon="patch-check",
    )
)
