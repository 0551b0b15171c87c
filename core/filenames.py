"""Safe names for uploaded files: short enough for any file system, extension kept.

A Linux file name holds at most 255 bytes, and a Chinese character takes three in UTF-8: an uploaded
name of 84 Chinese characters already fails to save ("File name too long"). Stored names are cut to
``STORED_NAME_BYTES`` bytes (room for the random suffix the storage adds to a duplicate), at a character
boundary, keeping the extension; the name shown to users is kept separately, cut to its column's length.
"""
from __future__ import annotations

from pathlib import PurePosixPath

STORED_NAME_BYTES = 120
MAX_EXTENSION_CHARS = 10  # ".docx", ".jpeg"… a longer "extension" is part of the name


def split_extension(name: str) -> tuple[str, str]:
    base = PurePosixPath(name.replace("\\", "/")).name
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or len(ext) + 1 > MAX_EXTENSION_CHARS:
        return base, ""
    return stem, f".{ext}"


def shorten_filename(name: str, *, max_bytes: int | None = None, max_chars: int | None = None,
                     fallback: str = "文件") -> str:
    """The base name of `name`, its stem cut so the whole fits max_bytes (UTF-8) and max_chars."""
    stem, ext = split_extension(name)
    stem = stem.strip() or fallback

    def fits(text: str) -> bool:
        return ((max_bytes is None or len(text.encode("utf-8")) <= max_bytes)
                and (max_chars is None or len(text) <= max_chars))

    while stem and not fits(stem + ext):
        stem = stem[:-1]
    stem = stem.rstrip(" .") or fallback[:1]
    return stem + ext
