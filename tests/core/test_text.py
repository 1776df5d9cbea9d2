import pytest

from khcn.core.text import fold, vietnamese_sort_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng Tháp", "dong thap"),
        ("Nguyễn Thị Minh Khai", "nguyen thi minh khai"),
        ("ĐẮK LẮK", "dak lak"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Ho Chi Minh", "ho chi minh"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_handles_decomposed_input():
    assert fold("\u0110o\u0302\u0300ng Tha\u0301p") == "dong thap"


def test_sort_key_orders_by_letters_first():
    names = ["Lê", "Ánh", "Bùi", "Anh", "Hà"]

    assert sorted(names, key=vietnamese_sort_key) == ["Anh", "Ánh", "Bùi", "Hà", "Lê"]


def test_vietnamese_order_puts_d_stroke_after_d_and_breve_circumflex_after_a():
    names = ["Đặng", "Dương", "Ân", "Ăn", "An"]
    assert sorted(names, key=vietnamese_sort_key) == ["An", "Ăn", "Ân", "Dương", "Đặng"]
