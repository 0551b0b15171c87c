"""文号: 鼓政办〔2022〕46号 in all the bracket styles, and the ones a text cites."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.parsing.text import _FULLWIDTH_DIGITS, _WS, normalize_text

# ---------------------------------------------------------------- doc numbers

DOC_NUMBER_HINT = "文号格式不正确，应类似“鼓政办〔2022〕46号”"
_OPEN, _CLOSE = "〔\\[［（(【", "〕\\]］）)】"
_DOC_CORE = (f"([\u4e00-\u9fff]{{1,12}})\\s*[{_OPEN}]\\s*((?:19|20)\\d\\d)\\s*[{_CLOSE}]"
             f"\\s*第?\\s*(\\d{{1,5}})\\s*号")
_DOC_FULL_RE = re.compile(f"^{_DOC_CORE}$")
_DOC_FIND_RE = re.compile(_DOC_CORE)
_LEAD_WORDS = ("贯彻落实", "根据", "按照", "依据", "依照", "参照", "转发", "印发", "落实", "贯彻", "执行",
               "见", "和", "及", "与", "即", "详见")
# Words a letterhead or a sentence puts before a doc number on the line above it.
_CUT_AFTER = ("文件", "办公室", "办公厅", "人民政府", "委员会", "通知", "意见", "方案")


class DocNumberError(ValueError):
    """A doc number that cannot be read; ``str(exc)`` is the Chinese message."""


@dataclass(frozen=True)
class DocNumber:
    issuer_code: str
    year: int
    serial: int

    @property
    def text(self) -> str:
        return f"{self.issuer_code}〔{self.year}〕{self.serial}号"

    def __str__(self) -> str:
        return self.text


def parse_doc_number(text: str) -> DocNumber:
    """"鼓政办〔2022〕46 号", "国办发[2022]8号" … → DocNumber; anything else → DocNumberError."""
    cleaned = re.sub(f"[{_WS}]+", "", (text or "").translate(_FULLWIDTH_DIGITS))
    match = _DOC_FULL_RE.match(cleaned)
    if not match or int(match.group(3)) == 0:
        raise DocNumberError(DOC_NUMBER_HINT)
    return DocNumber(match.group(1), int(match.group(2)), int(match.group(3)))


def find_doc_numbers(text: str) -> list[str]:
    """Every doc number cited in body text, normalised, in order of first appearance."""
    flat = normalize_text((text or "").translate(_FULLWIDTH_DIGITS))
    found: list[str] = []
    for match in _DOC_FIND_RE.finditer(flat):
        code = match.group(1)
        for word in _CUT_AFTER:
            if word in code:
                code = code.rsplit(word, 1)[1] or code
        for word in sorted(_LEAD_WORDS, key=len, reverse=True):
            if code.startswith(word) and len(code) > len(word) + 1:
                code = code[len(word):]
                break
        number = DocNumber(code, int(match.group(2)), int(match.group(3))).text
        if number not in found and int(match.group(3)):
            found.append(number)
    return found
