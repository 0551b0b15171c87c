"""Files that declare enormous sizes while being tiny: refused from the declarations, before any grid
is built, with one Chinese line stating the limits, quickly and within 400 MB."""
import io
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings
from docx import Document

from tasks.importers import ImportFailure, parse_upload
from tasks.importers.docx_reader import _table_rows
from tasks.importers.limits import parse_ref
from tasks.tests.hostile_files import HOSTILE, cell, docx_row, tiny_docx, tiny_xlsx

IDS = [name for name, _, _ in HOSTILE]


def test_the_tiny_builders_make_real_files():
    for name, data in [("小.xlsx", tiny_xlsx()), ("小.docx", tiny_docx())]:
        [task] = parse_upload(name, data).notice.all_tasks()
        assert (task.title, task.requirement, task.responsible_units) == (
            "目录公开", "公开重大行政决策事项目录。", ["区发改局"])
    assert len(tiny_xlsx(merges=["A3:XFD1048576"])) < 2000


@pytest.mark.parametrize("name, data, message", HOSTILE, ids=IDS)
def test_hostile_files_end_with_one_chinese_line(name, data, message):
    started = time.perf_counter()
    with pytest.raises(ImportFailure) as exc:
        parse_upload(name, data)
    assert exc.value.message == message
    assert time.perf_counter() - started < 5


AT_THE_LIMITS = tiny_xlsx(dimension="A1:BH5000", merges=["A2:BH2"],
                          extra_rows='<row r="5000"><c r="BH5000" t="inlineStr"><is><t>备注</t></is></c></row>')


def test_a_table_at_the_limits_is_read():
    """Declared at the limits (and read within 400 MB: see the memory test below)."""
    small = tiny_xlsx(dimension="A1:BH5000", merges=["A2:BH2"])
    assert [t.number for t in parse_upload("大.xlsx", small).notice.all_tasks()] == [1]


def test_a_tall_vertical_merge_is_read_in_one_pass():
    """python-docx resolves each continued vMerge by walking up the rows, recursively: 1,200 rows under
    one merged unit cell hit the recursion limit there. The reader walks the grid once."""
    rows = [docx_row(cell(f"任务{i}"), cell(f"{i}.做好第{i}项公开。"),
                     cell("区发改局", '<w:vMerge w:val="restart"/>' if i == 1 else "<w:vMerge/>"))
            for i in range(1, 1201)]
    data = tiny_docx(*rows)
    started = time.perf_counter()
    tasks = parse_upload("纵向合并.docx", data).notice.all_tasks()
    assert time.perf_counter() - started < 10
    assert len(tasks) == 1200 and tasks[0].responsible_units == ["区发改局"]
    [table] = Document(io.BytesIO(data)).tables
    grid = _table_rows(table, 1, False, 1)
    assert grid[1].cells[2].rows_down == 1200
    assert all(row.cells[2].merged and row.cells[2].text == "区发改局" for row in grid[2:])


@pytest.mark.parametrize("ref, bounds", [("A3:XFD1048576", (3, 1, 1048576, 16384)), ("$B$2", (2, 2, 2, 2)),
                                         ("C5:A1", (1, 1, 5, 3)), ("A:A", None), ("", None)])
def test_parse_ref(ref, bounds):
    assert parse_ref(ref) == bounds


MEMORY_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    limit = 400 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import django
    django.setup()
    from tasks.importers import ImportFailure, parse_upload
    from tasks.tests.hostile_files import HOSTILE
    from tasks.tests.test_importers_limits import AT_THE_LIMITS
    out = []
    for name, data, _ in HOSTILE + [("上限.xlsx", AT_THE_LIMITS, None)]:
        try:
            out.append(len(parse_upload(name, data).notice.all_tasks()))
        except ImportFailure as exc:
            out.append(exc.message)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"messages": out, "peak_mb": peak}, ensure_ascii=False))
""")


def test_hostile_files_stay_within_400_mb():
    """One process whose whole address space is capped at 400 MB reads every hostile file in turn, and a
    file at the limits (5000 rows x 60 columns): uncapped parse_upload, the declared-size checks alone
    keep it small. Without them the first four take 36-44 s and 1.4 GB each (measured)."""
    result = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT], cwd=settings.BASE_DIR, capture_output=True,
                            text=True, timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "govopen.settings_test"})
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["messages"] == [message for _, _, message in HOSTILE] + [1]
    assert report["peak_mb"] < 400


def test_the_command_ends_a_hostile_file_with_status_1_and_one_line(tmp_path):
    name, data, message = HOSTILE[0]
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", "import_breakdown", str(path)], cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "govopen.settings_test"})
    assert time.monotonic() - started < 20
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.strip() == f"无法导入“{name}”：{message}"
