"""Old and other office formats (.doc .wps .xls .et .odt .ods) converted to .docx/.xlsx with LibreOffice.

``soffice --headless --convert-to`` runs as a list-argument subprocess (never a shell) in a
temporary folder of its own, with its own user profile (-env:UserInstallation, so conversions can
run side by side and never touch a desktop user's LibreOffice), a time limit and a memory limit.
Where soffice is not installed, the user is told which format to save the file as.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from core.uploads import OLE_MAGIC, ZIP_MAGIC
from tasks.importers.result import ImportFailure

# Extension → (target format, what to tell the user).
CONVERTIBLE = {
    "doc": ("docx", "Word 97-2003 文档"),
    "wps": ("docx", "WPS 文字文档"),
    "odt": ("docx", "OpenDocument 文本"),
    "xls": ("xlsx", "Excel 97-2003 工作簿"),
    "et": ("xlsx", "WPS 表格文档"),
    "ods": ("xlsx", "OpenDocument 表格"),
}
CONVERT_SECONDS = 60
CONVERT_MEMORY = 1024 * 1024 * 1024  # address space of the soffice process
SOFFICE_NAMES = ("soffice", "libreoffice")


def soffice_path() -> str | None:
    configured = os.environ.get("GOVOPEN_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    return next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)


def _input_name(ext: str, data: bytes) -> str:
    """Name the copy by what it contains: WPS Office writes .wps/.et as Word/Excel 97 (OLE)
    files, which LibreOffice would otherwise try to read as Microsoft Works files."""
    target = CONVERTIBLE[ext][0]
    if data.startswith(OLE_MAGIC) and ext in ("wps", "et"):
        return "source." + ("doc" if target == "docx" else "xls")
    if data.startswith(ZIP_MAGIC) and ext in ("wps", "et"):
        return "source." + target
    return f"source.{ext}"


def _limit_memory() -> None:  # runs in the child between fork and exec
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = CONVERT_MEMORY if hard == resource.RLIM_INFINITY else min(CONVERT_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def convert(ext: str, data: bytes, *, seconds: int = CONVERT_SECONDS) -> tuple[str, bytes]:
    """The file converted: (new extension, bytes). Raises ImportFailure in Chinese."""
    target, label = CONVERTIBLE[ext]
    word = "Word" if target == "docx" else "Excel"
    soffice = soffice_path()
    if soffice is None:
        raise ImportFailure(f"服务器未安装 LibreOffice，无法读取 .{ext}（{label}）文件：请在 {word} 或 WPS 中"
                            f"“另存为” .{target} 格式后再上传")
    with tempfile.TemporaryDirectory(prefix="govopen-convert-") as folder:
        work = Path(folder)
        source = work / _input_name(ext, data)
        source.write_bytes(data)
        (work / "out").mkdir()
        command = [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                   "--nolockcheck", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--convert-to", target, "--outdir", str(work / "out"), str(source)]
        env = {**os.environ, "HOME": folder, "TMPDIR": folder}
        process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   start_new_session=True, preexec_fn=_limit_memory)
        try:
            _, errors = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ImportFailure(f".{ext} 文件转换超时（超过 {seconds} 秒）：请另存为 .{target} 后再上传") from None
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        result = work / "out" / f"source.{target}"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            raise ImportFailure(f"无法读取该 .{ext} 文件（{label}），可能已损坏或设置了打开密码：请在 {word} 或 WPS 中"
                                f"打开并另存为 .{target} 后再上传")
        return target, result.read_bytes()
