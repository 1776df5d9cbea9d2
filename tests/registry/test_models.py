"""The seeded tree of fields, administrative units, and the demo's identifier generators."""

import pytest
from django.core.exceptions import ValidationError

from khcn.core.validators import clean_orcid, clean_tax_code
from khcn.projects.models import ScienceField
from khcn.registry import units
from khcn.registry.demo import _split_title, valid_orcid, valid_tax_code
from khcn.registry.fields import FIELDS_OF_SCIENCE
from khcn.registry.models import FieldOfScience, Person, name_key
from khcn.registry.selectors import field_choices, field_tree


def test_the_fields_tree_is_seeded_with_the_task_groups_codes(db):
    groups = list(FieldOfScience.objects.filter(level=1).values_list("code", "name"))
    assert groups == [(c.value, str(c.label)) for c in ScienceField]
    assert FieldOfScience.objects.get(code="102").name == "Khoa học máy tính và thông tin"
    assert FieldOfScience.objects.get(code="405").parent_id == "4"
    assert FieldOfScience.objects.count() == 6 + sum(len(c) for _g, _n, c in FIELDS_OF_SCIENCE)
    tree = field_tree()
    assert [g.code for g, _children in tree] == ["1", "2", "3", "4", "5", "6"]
    assert all(c.code.startswith(g.code) for g, children in tree for c in children)
    assert field_choices()[1] == ("101", "\u2003101. Toán học và thống kê")


def test_administrative_units_are_the_post_2025_ones():
    assert len(units.province_choices()) == 34
    assert units.province_by_name("TP. Hải Phòng") == 31
    assert units.province_by_name("ha noi") == 1
    wards = dict(units.ward_choices(31))
    assert "Phường Kiến An" in wards.values()
    assert units.clean_units(31, next(iter(wards))) == (31, next(iter(wards)))
    assert units.clean_units("", "") == (None, None)


def test_names_fold_for_matching_and_display_with_title_and_degree():
    assert name_key("  Trường  Đại học Hải Phòng ") == "truong dai hoc hai phong"
    assert Person(full_name="Đỗ Văn Khương", degree="TS", title="GS").display_name == (
        "GS.TS. Đỗ Văn Khương"
    )
    assert Person(full_name="Lê Văn A", degree="CN").display_name == "Lê Văn A"


@pytest.mark.parametrize("seed", ["a", "b", "Công ty CP Công nghệ Việt An", "x" * 50])
def test_demo_identifiers_pass_the_validators(seed):
    assert clean_tax_code(valid_tax_code("01", seed)).startswith("01")
    assert clean_orcid(valid_orcid(seed))
    with pytest.raises(ValidationError):
        clean_tax_code(valid_tax_code("02", seed)[:9] + "x")


def test_titles_are_split_from_names():
    assert _split_title("PGS.TS. Nguyễn Thị Lan Hương") == ("Nguyễn Thị Lan Hương", "TS", "PGS")
    assert _split_title("KS. Lê Quang Hưng") == ("Lê Quang Hưng", "CN", "")
    assert _split_title("Vũ Thị Ngọc Ánh") == ("Vũ Thị Ngọc Ánh", "", "")
