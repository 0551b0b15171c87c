"""Text normalisation: whitespace inside Chinese text, pasted HTML tags, traditional characters."""
from __future__ import annotations

import re

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u2014"
_CJK_RE = re.compile(f"[{CJK}]")
_TAG_RE = re.compile(r"</?\s*(p|br|span|div|strong|b|font)\b[^>]*>", re.IGNORECASE)
_WS = " \t\r\n\u3000\u00a0\u2002\u2003\u2009"
_GAP_RE = re.compile(f"(?<=[{CJK}0-9A-Za-z])[{_WS}]+(?=[{CJK}])|(?<=[{CJK}])[{_WS}]+(?=[0-9A-Za-z])")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_text(s: str | None, *, keep_newlines: bool = False) -> str:
    """Remove the whitespace that PDF/Word extraction put inside Chinese text.

    Whitespace between two CJK characters (punctuation included) and between CJK and digits
    ("2022 年" → "2022年") goes; whitespace between Latin words stays as one space. HTML
    paragraph tags pasted from web pages are dropped. With ``keep_newlines`` paragraph breaks
    survive as single "\\n".
    """
    if not s:
        return ""
    s = _TAG_RE.sub("\n", s)
    if keep_newlines:
        lines = [normalize_text(line) for line in s.splitlines()]
        return "\n".join(line for line in lines if line)
    s = _GAP_RE.sub("", s)
    return re.sub(f"[{_WS}]+", " ", s).strip()


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


# Characters that only traditional text writes (their simplified forms differ): a text with several
# of them was written or exported in traditional characters.
_TRADITIONAL_MARKERS = set("區單務開時發責門與為們會這個來對於縣從國際業鄉鎮處關衛財經貿環員種類標準權應辦實現權證見經濟級")


def to_simplified(text: str) -> str:
    """Traditional → simplified characters when the text is written in traditional characters.

    A simplified text is returned unchanged (converting it would alter words such as 著作 or 乾坤 the
    office wrote on purpose); the office's text is kept in simplified characters.
    """
    if not text:
        return text
    markers = sum(1 for ch in text if ch in _TRADITIONAL_MARKERS)
    if markers < 3:
        return text
    import zhconv

    return zhconv.convert(text, "zh-cn")
