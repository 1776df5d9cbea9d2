"""Vietnamese text folding: what people type without diacritics must still match."""

import unicodedata


def fold(text: str) -> str:
    """NFD, combining marks removed, đ→d, lower case: "Đồng Tháp" -> "dong thap"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


# Vietnamese alphabetical order; tone marks only break ties (a < à < ả < ã < á < ạ).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key in Vietnamese order: "Dương" < "Đặng", "An" < "Ăn" < "Ân", then by tone."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", (text or "").lower()):
        parts = unicodedata.normalize("NFD", ch)
        tone = next((m for m in parts if m in _TONES), "")
        base = unicodedata.normalize("NFC", parts.replace(tone, "")) if tone else ch
        index = _ALPHABET.find(base)
        letters.append(index if index >= 0 else 100 + ord(base[0]))
        tones.append(_TONES[tone])
    return tuple(letters), tuple(tones)
