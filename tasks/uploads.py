"""Content checks for uploaded files: the bytes must match the extension, archives must be sane.

Every check looks at the content, never trusts the name: magic bytes for the type; for the Office and
OFD formats (zip archives) the zip-bomb checks of core.uploads plus the parts the format must
have and no macros; for images the pixel count, so a small file cannot claim a gigantic picture.
"""
from __future__ import annotations

import struct

from core.uploads import OLE_MAGIC as OLE
from core.uploads import ZIP_MAGIC as ZIP

MAGIC = {
    ".pdf": [b"%PDF-"],
    ".docx": [ZIP],
    ".xlsx": [ZIP],
    ".ofd": [ZIP],
    ".doc": [OLE],
    ".xls": [OLE],
    ".wps": [OLE, ZIP],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG\r\n\x1a\n"],
}
ZIP_TYPES = {".docx", ".xlsx", ".ofd", ".wps"}
# Parts a real file of the type contains (names compared case-insensitively).
REQUIRED_PARTS = {
    ".docx": ["[content_types].xml", "word/document.xml"],
    ".xlsx": ["[content_types].xml", "xl/workbook.xml"],
    ".ofd": ["ofd.xml"],
}
MACRO_PARTS = ("vbaproject.bin",)
MAX_IMAGE_PIXELS = 100_000_000  # a 48-megapixel phone photo passes; a 30000 x 30000 "image bomb" does not


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def sniff_matches_extension(upload, ext: str) -> str | None:
    """None when the content fits the extension, else the end of a Chinese sentence saying why."""
    data = _read_all(upload)
    if ext == ".txt":
        if b"\x00" in data[:4096]:
            return "不是文本文件。"
        for encoding in ("utf-8", "gb18030"):
            try:
                data.decode(encoding)
                return None
            except UnicodeDecodeError:
                continue
        return "不是可识别编码的文本文件。"
    signatures = MAGIC.get(ext, [])
    if not any(data.startswith(sig) for sig in signatures):
        return "的内容与扩展名不符，可能已损坏或被改名。"
    if ext in ZIP_TYPES and data.startswith(ZIP):
        return _zip_problem(data, ext)
    if ext in (".png", ".jpg", ".jpeg"):
        return _image_problem(data, ext)
    return None


def _zip_problem(data: bytes, ext: str) -> str | None:
    from core.uploads import check_zip
    from tasks.importers.result import ImportFailure

    try:
        names = check_zip(data)
    except ImportFailure as exc:
        return f"未通过安全检查：{exc.message}"
    lower = {name.lower() for name in names}
    if any(part not in lower for part in REQUIRED_PARTS.get(ext, [])):
        return "的内容与扩展名不符：不是有效的文档，可能已损坏或被改名。"
    if any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in lower):
        return "包含宏代码，出于安全考虑不能上传：请另存为不含宏的文档后再上传。"
    return None


def image_size(data: bytes, ext: str) -> tuple[int, int] | None:
    """(width, height) read from a PNG header or a JPEG frame header; None when not found."""
    if ext == ".png":
        if len(data) >= 24 and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        return None
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    return None


def _image_problem(data: bytes, ext: str) -> str | None:
    size = image_size(data, ext)
    if size is None:
        return "不是有效的图片文件，可能已损坏或被改名。"
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        return f"的图片尺寸过大（{width}×{height} 像素），疑似恶意文件：请缩小后再上传。"
    return None
