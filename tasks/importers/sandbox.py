"""Parsing an uploaded file under a memory and a time cap, so one file cannot starve the server.

``parse_upload_capped`` runs ``parse_upload`` in a forked child process: the child inherits the
loaded code (no interpreter start-up, a fork costs milliseconds), lowers its own address-space
limit (RLIMIT_AS) to what it already uses plus ``MEMORY_BYTES`` and its CPU limit to the time
cap, parses, and sends the ImportResult back through a pipe. The parent waits at most
``SECONDS`` and then kills it. Whatever happens in the child ends as an ImportFailure with a
Chinese message: a MemoryError, a crash, a timeout. The child never touches the database and
leaves with ``os._exit`` (multiprocessing's fork start method), so the parent's connections are
not closed under it.

Where fork is not available (Windows), the parse runs in-process with no cap.
"""
from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import traceback

from tasks.importers.result import ImportFailure, ImportResult

logger = logging.getLogger(__name__)
MiB = 1024 * 1024
MEMORY_BYTES = 400 * MiB
SECONDS = 90  # LibreOffice conversions get 60 of them (tasks.importers.convert)


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit(memory: int, seconds: int) -> None:
    import resource

    current = _address_space()
    if current is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + memory
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))  # soft only: soffice may raise its own
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = seconds + 5 if hard == resource.RLIM_INFINITY else min(seconds + 5, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def _child(writer, function, args, kwargs, memory: int, seconds: int) -> None:
    try:
        _limit(memory, seconds)
        outcome = ("ok", function(*args, **kwargs))
    except ImportFailure as exc:
        outcome = ("failure", exc.message)
    except MemoryError:
        outcome = ("memory", "")
    except (ImportError, OSError) as exc:  # a library that could not be mapped under the cap
        outcome = ("memory", "") if "map" in str(exc) or getattr(exc, "errno", None) == errno.ENOMEM else (
            "error", f"{exc.__class__.__name__}: {exc}")
    except RecursionError:
        outcome = ("error", "RecursionError")
    except Exception as exc:  # reported as one Chinese line by the parent
        outcome = ("error", f"{exc.__class__.__name__}: {traceback.format_exc(limit=-3)[-500:]}")
    try:
        writer.send(outcome)
    except MemoryError:
        writer.send(("memory", ""))
    finally:
        writer.close()


def run_capped(function, *args, memory: int = MEMORY_BYTES, seconds: int = SECONDS, **kwargs):
    """``function(*args, **kwargs)`` in a capped child; its result must pickle."""
    if not hasattr(os, "fork"):
        return function(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(writer, function, args, kwargs, memory, seconds), daemon=True)
    process.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise ImportFailure(f"文件解析超时（超过 {seconds} 秒），已停止：文件可能过于复杂或已损坏，"
                                "请删去多余内容或另存为 .docx/.xlsx 后再试")
        try:
            kind, payload = reader.recv()
        except (EOFError, OSError):
            kind, payload = "crash", ""
    finally:
        reader.close()
        if process.is_alive():
            process.kill()
        process.join()
    if kind == "ok":
        return payload
    if kind == "failure":
        raise ImportFailure(payload)
    limit = f"{memory // MiB} MB"
    if kind == "crash" and process.exitcode == -signal.SIGXCPU:
        raise ImportFailure(f"文件解析超时（超过 {seconds} 秒），已停止：文件可能过于复杂或已损坏，"
                            "请删去多余内容或另存为 .docx/.xlsx 后再试")
    if kind == "memory":
        raise ImportFailure(f"文件过于复杂，解析时超出内存上限（{limit}），已停止：请删去多余内容、"
                            "检查文件是否损坏，或另存为 .docx/.xlsx 后再试")
    if kind == "crash":
        raise ImportFailure(f"文件解析异常中止（可能超出内存上限 {limit}）：请检查文件是否损坏，"
                            "或另存为 .docx/.xlsx 后再试")
    error = ImportFailure("文件无法读取或格式异常，未能导入：请确认它能在 Office/WPS 中正常打开，或粘贴表格文本")
    logger.warning("import: the capped parse failed: %s", payload)
    raise error


def _load_readers() -> None:
    """Import the readers and their libraries in the parent, once: the child then maps no new
    shared library under its cap, and starts parsing at once."""
    import pdfplumber  # noqa: F401

    import tasks.importers.convert  # noqa: F401
    import tasks.importers.docx_reader  # noqa: F401
    import tasks.importers.pdf_reader  # noqa: F401
    import tasks.importers.xlsx_reader  # noqa: F401


def parse_upload_capped(filename: str, data: bytes, *, year: int | None = None, columns=None,
                        memory: int | None = None, seconds: int | None = None) -> ImportResult:
    """``parse_upload`` in a child process with at most ``memory`` more bytes and ``seconds``
    (default: MEMORY_BYTES and SECONDS, read at each call)."""
    from tasks.importers import parse_upload

    _load_readers()
    return run_capped(parse_upload, filename, data, year=year, columns=columns, memory=memory or MEMORY_BYTES,
                      seconds=seconds or SECONDS)
