"""Registry records built through the services, as staff of agency A would."""

import pytest

from khcn.registry import services


@pytest.fixture
def org(staff_a, agency_a):
    return services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Trường Đại học Hải Phòng",
        abbreviation="DHP",
        kind="university",
        tax_code="0200167782",  # any valid MST will do
        province_code=31,
        fields=["2", "502"],
    )


@pytest.fixture
def person(staff_a, agency_a, org):
    return services.person_create(
        actor=staff_a,
        agency=agency_a,
        organisation=org,
        position="Giảng viên",
        full_name="Nguyễn Thị Lan Hương",
        degree="TS",
        title="PGS",
        orcid="0000-0002-1825-0097",
        email="huong@dhhp.edu.vn",
        birth_year=1975,
        keywords="nuôi trồng thủy sản, vi tảo",
        fields=["405"],
    )
