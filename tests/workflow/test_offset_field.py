"""A deadline whose length a record sets itself (`offset_field`): NĐ 13/2019 gives 15 working
days instead of 10 when experts are consulted."""

from types import SimpleNamespace

import pytest

from khcn.workflow.deadlines import offset_of
from khcn.workflow.definition import DeadlineRule, RuleSetInvalid, read_file, resolve
from khcn.workflow.loader import BUILTIN_DIR, validate

RULE = DeadlineRule(
    key="resolution", label="Hạn", states=("A",), anchor="entered", offset=10,
    offset_field="resolution_days",
)  # fmt: skip


@pytest.mark.parametrize(
    ("data", "offset"),
    [({}, 10), ({"resolution_days": 15}, 15), ({"resolution_days": "15"}, 10),
     ({"resolution_days": True}, 10), ({"resolution_days": -1}, 10)],
)  # fmt: skip
def test_the_records_own_offset_when_filled(data, offset):
    assert offset_of(SimpleNamespace(data=data), RULE) == offset


def test_a_bad_offset_field_is_refused():
    raw = read_file(BUILTIN_DIR / "tthc-2018.toml")
    raw["deadlines"][1]["offset_field"] = "hai từ"
    with pytest.raises(RuleSetInvalid) as caught:
        validate(resolve(raw, lambda code: None))
    assert any("«offset_field» phải là tên một trường dữ liệu" in e for e in caught.value.errors)
