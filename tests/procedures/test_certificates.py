"""Certificates: issue, amend and re-issue as new versions linked to the old, revoke; the
public register lists the valid ones."""

import pytest

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import DomainError
from khcn.procedures import selectors, services
from khcn.procedures.models import Certificate
from khcn.workflow.fields import FieldErrors
from tests.procedures.helpers import APPLICANT, FORMS, OTHER_TAX_CODE, issued

pytestmark = pytest.mark.django_db


def test_amend_reissue_revoke_make_a_chain_of_versions(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    _dossier, first = issued(staff_a, leader_a, enterprise, agency_a)
    assert (first.number, first.version, first.change) == ("01/2026/DNKHCN", 1, "issue")

    _dossier, amended = issued(staff_a, leader_a, enterprise, agency_a, "KHCN-DNKHCN-02")
    first.refresh_from_db()
    assert first.status == Certificate.Status.SUPERSEDED
    assert (amended.number, amended.version, amended.change) == ("01/2026/DNKHCN", 2, "amend")
    assert amended.previous == first
    assert "CH-Bio 02" in amended.content
    assert amended.valid_until == first.valid_until

    _dossier, copy = issued(staff_a, leader_a, enterprise, agency_a, "KHCN-DNKHCN-03")
    assert (copy.version, copy.change, copy.previous) == (3, "reissue", amended)
    assert copy.content == amended.content

    assert list(selectors.certificates_public(type="dn_khcn")) == [copy]
    dossier, none = issued(staff_a, leader_a, enterprise, agency_a, "KHCN-DNKHCN-04")
    assert none is None
    copy.refresh_from_db()
    assert copy.status == Certificate.Status.REVOKED
    assert copy.revoke_reason == "Giải thể doanh nghiệp"
    assert dossier.state == "RESULT_ISSUED"
    assert list(selectors.certificates_public(type="dn_khcn")) == []
    assert len(selectors.certificates_public(type="dn_khcn", valid=False)) == 3
    assert [c.version for c in selectors.certificate_history(first)] == [1, 2, 3]
    assert (
        AuditEvent.objects.filter(
            action__in=[
                AuditAction.CERTIFICATE_ISSUED,
                AuditAction.CERTIFICATE_AMENDED,
                AuditAction.CERTIFICATE_REISSUED,
                AuditAction.CERTIFICATE_REVOKED,
            ]
        ).count()
        == 4
    )


def test_an_amendment_needs_the_holders_valid_certificate(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    issued(staff_a, leader_a, enterprise, agency_a)
    with pytest.raises(DomainError, match="không cấp cho tổ chức này"):
        issued(
            staff_a,
            leader_a,
            enterprise,
            agency_a,
            "KHCN-DNKHCN-02",
            applicant={**APPLICANT, "tax_code": OTHER_TAX_CODE},
        )
    with pytest.raises(DomainError, match="Không tìm thấy giấy chứng nhận số «99/2026/DNKHCN»"):
        issued(
            staff_a,
            leader_a,
            enterprise,
            agency_a,
            "KHCN-DNKHCN-02",
            form_data={**FORMS["KHCN-DNKHCN-02"], "certificate_number": "99/2026/DNKHCN"},
        )


def test_the_department_revokes_with_a_reason(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    _dossier, certificate = issued(staff_a, leader_a, enterprise, agency_a)
    with pytest.raises(FieldErrors):
        services.certificate_revoke(actor=leader_a, certificate=certificate, reason=" ")
    services.certificate_revoke(
        actor=leader_a, certificate=certificate, reason="Không còn đáp ứng tỷ lệ doanh thu."
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    with pytest.raises(DomainError, match="không còn hiệu lực"):
        services.certificate_revoke(actor=leader_a, certificate=certificate, reason="Lần hai")


def test_numbers_count_first_issues_of_the_year(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise, other_enterprise
):
    issued(staff_a, leader_a, enterprise, agency_a)
    _d, second = issued(
        staff_a,
        leader_a,
        other_enterprise,
        agency_a,
        applicant={**APPLICANT, "tax_code": OTHER_TAX_CODE},
    )
    assert second.number == "02/2026/DNKHCN"
    assert second.holder_tax_code == OTHER_TAX_CODE
