"""Chinese numerals: 十四 ↔ 14."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
NUMERAL_CHARS = "零〇一二两三四五六七八九十百"


def chinese_numeral_to_int(text: str) -> int:
    """"十四" → 14, "二十" → 20, "一百零五" → 105. Raises ValueError on anything else."""
    text = (text or "").strip()
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"不是中文数字：{text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(f"不是中文数字：{text!r}")
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def int_to_chinese_numeral(n: int) -> str:
    """14 → "十四", 20 → "二十", 105 → "一百零五" (1..999)."""
    if not 1 <= n <= 999:
        raise ValueError(f"超出范围：{n}")
    names = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += names[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + names[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else names[tens]) + "十"
    if ones:
        out += names[ones]
    return out
