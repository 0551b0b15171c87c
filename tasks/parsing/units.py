"""Unit cells: split into units, read 牵头/配合/负责 markers, keep notes on their unit."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.parsing.text import _TAG_RE, _WS

# ---------------------------------------------------------------- units

UNIT_SUFFIXES = ("局", "办", "委", "厅", "院", "会", "部", "中心", "政府", "单位", "部门", "镇", "乡", "街道",
                 "处", "室", "所", "站", "队", "馆", "署", "社", "团", "联", "协", "校", "园", "司", "行", "组",
                 "集团", "科", "股", "区", "县", "市", "企业", "机构", "机关", "公安", "法院", "小组", "管委会")
_GROUP_RE = re.compile(r"各|有关单位|有关部门|相关部门|相关单位|属单位|^[一二三四五六七八九十\d]+个?街镇$")
_SEPARATORS = "、，,；;/／"
_ROLE_LABEL_RE = re.compile(r"^(牵头|责任|主责|负责|落实|承办|实施|配合|协办|协助|参与|协同)(单位|部门|科室|处室|股室|主体)?$")
_LABEL_ROLE = {"牵头": "lead", "配合": "cooperating", "协办": "cooperating", "协助": "cooperating",
               "参与": "cooperating", "协同": "cooperating"}
# Words after a unit that give its role; longest first. "X负责落实", "X参照落实", "X牵头", "Y配合".
_ROLE_SUFFIXES = (("牵头负责", "lead"), ("牵头落实", "lead"), ("牵头", "lead"), ("配合落实", "cooperating"),
                  ("配合", "cooperating"), ("协办", "cooperating"), ("协助", "cooperating"),
                  ("负责落实", "responsible"), ("参照落实", "responsible"), ("参照执行", "responsible"),
                  ("按职责分工负责", "responsible"), ("按职责负责", "responsible"), ("分别负责", "responsible"),
                  ("共同负责", "responsible"), ("具体负责", "responsible"), ("负责", "responsible"),
                  ("落实", "responsible"))
_NONE_RE = re.compile(r"^[—\-－–/／\\无空]*$")
_OPENERS, _CLOSERS = "（(〔【<《［[", "）)〕】>》］]"
_O, _C = re.escape(_OPENERS), re.escape(_CLOSERS)


@dataclass(frozen=True)
class UnitRef:
    text: str
    name: str
    note: str = ""
    role: str = "responsible"


def is_group_phrase(name: str) -> bool:
    """Phrases that stand for many units: 区直各有关部门, 十街镇, 各县（市）区政府 …"""
    return bool(_GROUP_RE.search(name or ""))


def _paren_depth(s: str) -> int:
    return sum(s.count(ch) for ch in _OPENERS) - sum(s.count(ch) for ch in _CLOSERS)


def _last_token(s: str) -> str:
    return re.split(f"[{_SEPARATORS}\\s]", s)[-1]


def is_complete_unit_name(token: str) -> bool:
    """Does a (part of a) cell end where a unit name can end? "区疾控" and "高新区管" do not."""
    token = token.strip().rstrip("。")
    for word, _role in _ROLE_SUFFIXES:
        if token.endswith(word) and len(token) > len(word) + 1:
            token = token[: -len(word)]
            break
    if not token or _paren_depth(token) != 0:
        return False
    tail = re.search(f"[{_O}]([^{_O}{_C}]*)[{_C}]$", token)
    if tail and is_area_bracket(tail.group(1)) and not token.endswith(("（市、区）", "(市、区)", "（县、区）",
                                                                        "（县、市、区）", "（市、县、区）")):
        return False
    if token[-1] in _CLOSERS:
        return True
    return token.endswith(UNIT_SUFFIXES) or is_group_phrase(token)


def join_unit_lines(lines: list[str]) -> list[str]:
    """Re-join unit names that PDF extraction broke over two lines; returns one string per line kept."""
    out: list[str] = []
    for raw in lines:
        line = re.sub(f"[{_WS}]+", " ", raw).strip()
        if not line:
            continue
        if out:
            prev = out[-1]
            last = _last_token(prev)
            joins = (_paren_depth(prev) > 0 or line[0] in "（(）)"
                     or (prev[-1] not in _SEPARATORS and not is_complete_unit_name(last))
                     or (prev[-1] not in _SEPARATORS and re.match(r"各(有关|相关)?(部门|单位)", line)))
            if joins:
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def split_unit_tokens(text: str) -> list[str]:
    tokens, current, depth = [], "", 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        if depth == 0 and (ch in _SEPARATORS or ch in _WS):
            tokens.append(current)
            current = ""
        else:
            current += ch
    tokens.append(current)
    return [t.strip().rstrip("。.") for t in tokens if t.strip().rstrip("。.")]


def is_area_bracket(inner: str) -> bool:
    """"市、区" in 各县（市、区）: part of the name, not a note."""
    parts = re.split("[、,，/]", inner)
    return all(0 < len(p) <= 3 and p[-1] in "市区县州盟旗镇乡街道" for p in parts)


def _split_note(token: str) -> tuple[str, str]:
    match = re.match(f"^(.+?)[{_O}]([^{_O}{_C}]*)[{_C}]$", token)
    if not match or is_area_bracket(match.group(2)):
        return token, ""
    return match.group(1), match.group(2)


def split_unit_cell(text: str | None, default_role: str = "responsible", *,
                    lead_before_comma: bool = False) -> list[UnitRef]:
    """Split a 牵头单位/责任单位 cell into units, reading 牵头/配合/负责 markers; see the tests.

    "——", "/" and "无" mean none; "由X负责" is X; a note in brackets stays on its unit; with
    ``lead_before_comma`` (a table's "逗号前为牵头单位") the units before the first "，" lead.
    """
    if not text or not text.strip():
        return []
    text = _TAG_RE.sub("\n", text)
    if _NONE_RE.match(re.sub(f"[{_WS}]+", "", text)):
        return []
    if lead_before_comma and re.search("[，,]", text) and not re.search("牵头|配合|[:：]", text):
        head, _, rest = re.split("([，,])", text, maxsplit=1)[0], "", re.split("[，,]", text, maxsplit=1)[1]
        return _unique(split_unit_cell(head, "lead") + split_unit_cell(rest, default_role))
    joined = "\n".join(join_unit_lines(text.splitlines()))
    # "县司法局牵头各行政机关负责": a role word run into the next unit.
    joined = re.sub(r"(牵头)(?![单部科处负落，,、；;\s）)〕】>]|$)", r"\1，", joined)
    # "各州、市人民政府", "各县、市、区人民政府": one phrase, not split at its "、".
    joined = re.sub(r"(?<![\u4e00-\u9fff])(各[州市县区盟](?:[（(〔][^）)〕]{1,8}[）)〕])?"
                    r"(?:、[市州县区旗](?:[（(〔][^）)〕]{1,8}[）)〕])?){1,3}(?:人民政府|政府))",
                    lambda m: m.group(1).replace("、", "\u2063"), joined)
    refs: list[UnitRef] = []
    pending: list[str] = []
    role = default_role

    def flush(as_role: str) -> None:
        for token in pending:
            name, note = _split_note(token)
            token_role = as_role
            for word, word_role in _ROLE_SUFFIXES:
                if note == word:  # "区发改局（牵头）": the note is the role of this unit alone
                    token_role, token, note = word_role, name, ""
                    break
            if token:
                refs.append(UnitRef(token, name or token, note, token_role))
        pending.clear()

    for token in _clause_tokens(joined.replace("：", ":")):
        if token is None:  # "，" / "；": a role word after it does not reach back over it
            flush(role)
            continue
        label, _, rest = token.partition(":")
        if (rest or token.endswith(":")) and _paren_depth(label) == 0:
            flush(role)
            found = _ROLE_LABEL_RE.match(label)
            if found:
                role = _LABEL_ROLE.get(found.group(1), "responsible")
            token = rest
            if not token:
                continue
        token = re.sub(r"^(由|请|各由)(?=.{2})", "", token)
        for word, word_role in _ROLE_SUFFIXES:
            if token.endswith(word) and len(token) > len(word) + 1 and _paren_depth(token) == 0:
                name = token[: -len(word)].removesuffix("单位")
                while len(name) > 3 and (shorter := re.sub(
                        r"(分别|共同|具体|各自)$|(按照|按|根据)?(各自)?(职能|职责)?(分工)?$", "", name)) != name:
                    name = shorter
                pending.append(name)
                flush(word_role)
                break
        else:
            pending.append(token)
    flush(role)
    return _unique([UnitRef(r.text.replace("\u2063", "、"), r.name.replace("\u2063", "、"), r.note, r.role)
                    for r in refs])


def _clause_tokens(text: str) -> list[str | None]:
    """Tokens of a unit cell with None where a clause ends ("，" "；" outside brackets)."""
    out: list[str | None] = []
    depth, start = 0, 0
    for i, ch in enumerate(text + "，"):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in "，,；;":
            out += split_unit_tokens(text[start:i])
            out.append(None)
            start = i + 1
    return out


def _unique(refs: list[UnitRef]) -> list[UnitRef]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for ref in refs:
        if ref.text and (ref.text, ref.role) not in seen:
            seen.add((ref.text, ref.role))
            unique.append(ref)
    return unique
