"""core.filenames: stored names fit every file system and keep their extension."""
from core.filenames import shorten_filename


def test_short_names_are_left_alone_and_paths_dropped():
    assert shorten_filename("说明.pdf", max_bytes=120) == "说明.pdf"
    assert shorten_filename("C:\\Users\\王丽\\桌面\\说明.pdf", max_bytes=120) == "说明.pdf"
    assert shorten_filename("../../etc/passwd", max_bytes=120) == "passwd"


def test_long_chinese_names_are_cut_at_a_character_keeping_the_extension():
    name = "政" * 200 + ".docx"
    short = shorten_filename(name, max_bytes=120)
    assert short.endswith(".docx") and len(short.encode()) <= 120 and short == "政" * 38 + ".docx"
    assert shorten_filename(name, max_chars=200) == "政" * 195 + ".docx"


def test_names_without_a_usable_stem_or_with_a_long_suffix():
    assert shorten_filename(".pdf", max_bytes=120) == ".pdf"
    assert shorten_filename("报告.这不是扩展名而是很长的一段文字", max_bytes=30).encode().__len__() <= 30
