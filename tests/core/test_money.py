from decimal import Decimal

import pytest
from django.template import Context, Template

from khcn.core.money import format_vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1234567, "1.234.567 ₫"),
        (0, "0 ₫"),
        (999, "999 ₫"),
        (1000, "1.000 ₫"),
        (-2500000, "-2.500.000 ₫"),
        (Decimal("1500000000"), "1.500.000.000 ₫"),
        (Decimal("1234.6"), "1.235 ₫"),  # whole đồng
        (None, ""),
    ],
)
def test_format_vnd(amount, text):
    assert format_vnd(amount) == text


def test_vnd_template_filter():
    rendered = Template("{% load khcn %}{{ amount|vnd }}").render(Context({"amount": 1234567}))

    assert rendered == "1.234.567 ₫"
