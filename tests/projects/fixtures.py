"""The people around an S&T task (staff, leader, two outside host organisations, nine
council experts from different institutions) and the shipped rule sets."""

import pytest

from khcn.accounts.models import Role
from khcn.workflow.loader import ruleset_load_all
from tests.factories import UserFactory, user_with_role

EXPERTS = [
    ("GS.TS. Nguyễn Văn Hải", "Viện Hàn lâm KH&CN Việt Nam"),
    ("PGS.TS. Trần Thị Mai", "Trường Đại học Bách khoa Hà Nội"),
    ("TS. Lê Quang Vinh", "Viện Nghiên cứu Hải sản"),
    ("TS. Phạm Thu Hằng", "Trường Đại học Y Dược Hải Phòng"),
    ("ThS. Đỗ Văn Nam", "Sở Tài chính Hải Phòng"),
    ("TS. Hoàng Minh Tuấn", "Trường Đại học Hàng hải Việt Nam"),
    ("PGS.TS. Vũ Thị Hoa", "Viện Môi trường Nông nghiệp"),
    ("TS. Bùi Đức Long", "Viện Vật liệu xây dựng"),
    ("TS. Ngô Thị Lan", "Trường Đại học Kinh tế Quốc dân"),
    ("TS. Đinh Văn Khoa", "Viện Cơ khí năng lượng và mỏ"),
    ("TS. Lý Thị Hạnh", "Viện Công nghệ sinh học"),
]


@pytest.fixture
def rulesets(db):
    ruleset_load_all()


@pytest.fixture
def host(db):
    """The contact of Trường Đại học Hải Phòng, an outside user."""
    return UserFactory(
        username="chutri.dhhp", full_name="Lê Minh Tuấn", organisation="Trường Đại học Hải Phòng"
    )


@pytest.fixture
def rival(db):
    """A second organisation applying to the same call."""
    return UserFactory(
        username="chutri.vien",
        full_name="Nguyễn Thị Bích",
        organisation="Viện Nghiên cứu Cơ khí",
    )


@pytest.fixture
def experts(agency_a):
    people = []
    for i, (name, org) in enumerate(EXPERTS, start=1):
        people.append(
            user_with_role(
                Role.EXPERT, agency_a, username=f"cg{i}", full_name=name, organisation=org
            )
        )
    return people


@pytest.fixture
def proposer(agency_a):
    """Someone from an ordering agency (a district), registered as public."""
    return user_with_role(
        Role.PUBLIC,
        agency_a,
        username="dathang.thuynguyen",
        full_name="Phạm Thị Thu",
        organisation="UBND huyện Thủy Nguyên",
    )
