"""Vietnamese text folding: what people type without diacritics must still match."""

import unicodedata


def fold(text: str) -> str:
    """NFD, combining marks removed, đ→d, lower case: "Đồng Tháp" -> "dong thap"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def vietnamese_sort_key(text: str) -> tuple[str, str]:
    """Sort key that orders Vietnamese names by letter first, then by tone."""
    return (fold(text), unicodedata.normalize("NFC", text or "").lower())
