"""The catalogue's seed and the invariants the database holds."""

import io

import docx
import pytest
from django.db import IntegrityError, transaction

from khcn.procedures.catalogue import PROCEDURES, check_seed, procedures_seed
from khcn.procedures.documents import form_docx
from khcn.procedures.models import ApologyLetter, Certificate, Dossier, Procedure
from khcn.workflow.loader import BUILTIN_DIR, check_file
from tests.procedures.helpers import D, issued, submit

pytestmark = pytest.mark.django_db


def test_the_seed_is_in_the_database_and_idempotent(procedure_catalogue):
    assert check_seed() == []
    assert Procedure.objects.count() == len(PROCEDURES) == 9
    procedures_seed()
    assert Procedure.objects.count() == 9
    assert set(Procedure.objects.values_list("code_kind", flat=True)) == {"local"}


@pytest.mark.parametrize("spec", PROCEDURES, ids=lambda s: s["code"])
def test_each_procedure_names_a_rule_set_with_its_time_limit(spec):
    rules = check_file(BUILTIN_DIR / f"{spec['ruleset_code']}.toml")
    resolution = rules.deadline("resolution")
    assert resolution.offset > 0 and resolution.source
    assert rules.deadline("validity_check").offset > 0
    assert rules.extends == "tthc-2018"
    assert any(r["mandatory"] for r in spec["documents"])


def test_the_enterprise_certificate_limits_are_nd_13_2019():
    rules = check_file(BUILTIN_DIR / "tthc-dnkhcn-2019.toml")
    assert (rules.deadline("validity_check").offset, rules.deadline("resolution").offset) == (3, 10)
    assert rules.rules["dossier"]["expert_days"] == 15
    registration = check_file(BUILTIN_DIR / "tthc-dkhd-2014.toml")
    assert (
        registration.deadline("validity_check").offset,
        registration.deadline("resolution").offset,
    ) == (5, 15)
    assert "NĐ 08/2014/NĐ-CP Đ9" in registration.deadline("resolution").source


def test_dossier_codes_are_unique(procedure_catalogue, agency_a, enterprise):
    dossier = submit(enterprise, agency_a)
    other = submit(enterprise, agency_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=other.pk).update(code=dossier.code)


def test_one_valid_version_per_certificate_number(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    _d, certificate = issued(staff_a, leader_a, enterprise, agency_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            agency=agency_a,
            type=certificate.type,
            number=certificate.number,
            version=2,
            issued_on=D(2026, 6, 2),
            holder_name="x",
            content="x",
        )


def test_an_apology_moves_the_date_forward(procedure_catalogue, agency_a, enterprise):
    from khcn.core import clock

    dossier = submit(enterprise, agency_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApologyLetter.objects.create(
            dossier=dossier,
            number=1,
            reason="x",
            old_date=D(2026, 5, 13),
            new_date=D(2026, 5, 12),
            issued_at=clock.now(),
        )


def test_the_application_form_to_download(procedure_catalogue):
    requirement = Procedure.objects.get(code="KHCN-DNKHCN-01").documents.get(key="don")
    name, content = form_docx(requirement)
    assert name == "KHCN-DNKHCN-01-don.docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN DOANH NGHIỆP KH&CN" in text
    assert "Sản phẩm hình thành từ kết quả khoa học và công nghệ (*)" in text
    assert "Kính gửi: Sở Khoa học và Công nghệ" in text


@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_when_filed_at_the_same_moment(agency_a):
    """Eight filings at once on PostgreSQL: the sequence row's lock orders them."""
    import threading

    from django.db import connection, connections

    from khcn.procedures.services import dossier_code_next

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    codes, barrier = [], threading.Barrier(8)

    def file():
        try:
            barrier.wait()
            with transaction.atomic():
                codes.append(dossier_code_next(agency_a, 2026))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [f"HP-TEST-2026-{n:06d}" for n in range(1, 9)]


def test_the_catalogue_and_valid_certificates_are_searchable(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    from django.contrib.auth.models import AnonymousUser

    from khcn.procedures import services
    from khcn.search.selectors import search
    from khcn.search.services import index_objects

    index_objects(key="procedure", objects=list(Procedure.objects.all()))
    found = search("chuyen giao cong nghe", user=AnonymousUser(), types=["procedure"])
    assert "Đăng ký hợp đồng chuyển giao công nghệ" in [i.title for i in found.items]

    _d, certificate = issued(staff_a, leader_a, enterprise, agency_a)
    hits = search("CH-Bio", user=AnonymousUser(), types=["certificate"])
    assert [i.id for i in hits.items] == [certificate.pk]
    services.certificate_revoke(actor=leader_a, certificate=certificate, reason="Giải thể")
    assert search("CH-Bio", user=AnonymousUser(), types=["certificate"]).count == 0
