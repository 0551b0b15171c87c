"""parse_upload_capped: the parse runs in a forked child with a memory and a time cap."""
import os
import signal
import time

import pytest

from tasks.importers import ImportFailure, parse_upload, parse_upload_capped
from tasks.importers.sandbox import MiB, run_capped
from tasks.tests.hostile_files import HOSTILE, tiny_docx


def failure(function, *args, **kwargs) -> str:
    with pytest.raises(ImportFailure) as exc:
        run_capped(function, *args, **kwargs)
    return exc.value.message


def test_the_capped_parse_returns_what_the_parse_returns():
    data = tiny_docx()
    capped = parse_upload_capped("表.docx", data)
    plain = parse_upload("表.docx", data)
    assert capped.notice.to_json() == plain.notice.to_json()
    assert (capped.source_kind, capped.warnings, capped.skipped_rows) == (
        plain.source_kind, plain.warnings, plain.skipped_rows)


def test_an_import_failure_comes_back_as_it_is():
    name, data, message = HOSTILE[0]
    with pytest.raises(ImportFailure) as exc:
        parse_upload_capped(name, data)
    assert exc.value.message == message


def allocate(megabytes: int) -> int:
    blocks = [bytearray(MiB) for _ in range(megabytes)]
    return len(blocks)


def test_a_parse_that_needs_too_much_memory_is_stopped():
    assert run_capped(allocate, 20, memory=100 * MiB) == 20
    assert failure(allocate, 1000, memory=100 * MiB) == (
        "文件过于复杂，解析时超出内存上限（100 MB），已停止：请删去多余内容、检查文件是否损坏，或另存为 .docx/.xlsx 后再试")


def test_a_parse_that_takes_too_long_is_stopped():
    started = time.monotonic()
    assert failure(time.sleep, 30, seconds=1) == (
        "文件解析超时（超过 1 秒），已停止：文件可能过于复杂或已损坏，请删去多余内容或另存为 .docx/.xlsx 后再试")
    assert time.monotonic() - started < 10


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def broken():
    raise KeyError("word/document.xml")


def test_a_crash_or_an_unexpected_error_is_one_chinese_line():
    assert failure(die, memory=100 * MiB) == (
        "文件解析异常中止（可能超出内存上限 100 MB）：请检查文件是否损坏，或另存为 .docx/.xlsx 后再试")
    assert failure(broken) == "文件无法读取或格式异常，未能导入：请确认它能在 Office/WPS 中正常打开，或粘贴表格文本"
