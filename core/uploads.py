"""Checks made before any library opens an uploaded file (size, type by magic bytes, zip bombs), and the
exception every file reader raises with its Chinese message (ImportFailure).

Used by the table importers (tasks.importers re-exports them), the register import and the account list.

.docx and .xlsx are zip archives. ``check_zip`` looks at the entry count and the declared sizes,
then inflates every entry itself while counting bytes, because a zip header can lie about the
size. Reusable for evidence uploads: it raises ImportFailure with a Chinese message.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib


def location(row: int | None = None, column: int | str | None = None, *, where: str = "") -> str:
    """"第12行第3列" / "第2个表格第3行第1列" / "第40行（责任单位）"; "" when nothing is known."""
    text = where or (f"第{row}行" if row else "")
    if isinstance(column, int):
        text += f"第{column}列"
    elif column:
        text += f"（{column}）"
    return text


class ImportFailure(Exception):
    """The file or text cannot be imported at all. ``message`` is Chinese and names the place."""

    def __init__(self, detail: str, *, row: int | None = None, column: int | str | None = None,
                 where: str = ""):
        self.detail = detail
        self.row = row
        self.column = column
        prefix = location(row, column, where=where)
        self.message = f"{prefix}：{detail}" if prefix else detail
        super().__init__(self.message)


MiB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MiB
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 100 * MiB
MAX_RATIO = 100          # total uncompressed / compressed, checked once past RATIO_FLOOR
RATIO_FLOOR = 10 * MiB   # small archives may compress well without being bombs
CHUNK = 64 * 1024

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"


def _mb(n: int) -> str:
    return f"{n / MiB:.1f} MB"


def check_size(data: bytes, *, limit: int = MAX_UPLOAD_BYTES) -> None:
    if not data:
        raise ImportFailure("文件为空，请重新选择文件")
    if len(data) > limit:
        raise ImportFailure(f"文件过大（{_mb(len(data))}），上限为 {_mb(limit)}")


def check_office_magic(data: bytes, ext: str) -> None:
    """A .docx/.xlsx must be a zip; an OLE container under that name is a password-protected file."""
    kind = "Word 文档" if ext == "docx" else "Excel 工作簿"
    if data.startswith(OLE_MAGIC):
        raise ImportFailure(f"文件已加密（设置了打开密码）或为旧版格式，无法读取：请在 {kind.split()[0]} 中"
                            f"取消密码，另存为 .{ext} 后再上传")
    if not data.startswith(ZIP_MAGIC):
        raise ImportFailure(f"文件内容与扩展名不符：这不是有效的 .{ext} {kind}，可能已损坏或被改名")


def _inflate_counting(data: bytes, info: zipfile.ZipInfo, budget: int) -> int:
    """Inflate one entry from the raw bytes, counting; returns its real size."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != ZIP_MAGIC:
        raise ImportFailure("文件已损坏（压缩包结构错误），无法读取")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ImportFailure("文件使用了不支持的压缩方式，无法读取")
    inflater = zlib.decompressobj(-15)
    size = 0
    try:
        for pos in range(0, len(raw), CHUNK):
            piece = raw[pos:pos + CHUNK]
            while piece:
                out = inflater.decompress(piece, CHUNK)
                size += len(out)
                if size > info.file_size or size > budget:
                    return size
                piece = inflater.unconsumed_tail
        size += len(inflater.flush())
    except zlib.error as exc:
        raise ImportFailure("文件已损坏（解压失败），无法读取") from exc
    return size


def check_zip(data: bytes, *, max_entries: int = MAX_ZIP_ENTRIES,
              max_uncompressed: int = MAX_UNCOMPRESSED_BYTES, max_ratio: int = MAX_RATIO) -> list[str]:
    """Refuse archive bombs and broken archives; returns the entry names when the archive is safe."""
    if data.startswith(OLE_MAGIC):
        raise ImportFailure("文件已加密（设置了打开密码），无法读取：请取消密码后再上传")
    if not (data.startswith(ZIP_MAGIC) or data.startswith(EMPTY_ZIP_MAGIC)):
        raise ImportFailure("文件不是有效的压缩包（.docx/.xlsx 格式），可能已损坏或被改名")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, struct.error,
            OSError, UnicodeDecodeError) as exc:
        raise ImportFailure("文件已损坏（压缩包无法打开），无法读取") from exc
    if len(infos) > max_entries:
        raise ImportFailure(f"压缩包内文件过多（{len(infos)} 个，上限 {max_entries} 个），疑似恶意文件")
    declared = sum(info.file_size for info in infos)
    if declared > max_uncompressed:
        raise ImportFailure(f"文件解压后过大（声明 {_mb(declared)}，上限 {_mb(max_uncompressed)}），疑似压缩炸弹")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportFailure("文件已加密（设置了打开密码），无法读取：请取消密码后再上传")
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        real = _inflate_counting(data, info, max_uncompressed - total)
        if real > info.file_size:
            raise ImportFailure("压缩包内文件的实际大小超过其声明大小，疑似压缩炸弹")
        total += real
        if total > max_uncompressed:
            raise ImportFailure(f"文件解压后过大（超过 {_mb(max_uncompressed)}），疑似压缩炸弹")
    if total > RATIO_FLOOR and total > max_ratio * len(data):
        raise ImportFailure(f"文件压缩比异常（约 {total // max(len(data), 1)}:1），疑似压缩炸弹")
    return [info.filename for info in infos]
