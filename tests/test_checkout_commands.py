"""The README's commands in a checkout: `make run` writes .env, settings read it, and without any key a
manage.py command ends with one Chinese line saying what to set."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"


def manage(*args, env_file, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "govopen.settings", "DJANGO_ENV_FILE": str(env_file), **(extra or {})})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_without_a_key_a_command_ends_with_one_chinese_line(tmp_path):
    done = manage("check", env_file=tmp_path / "missing.env")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "未设置 DJANGO_SECRET_KEY：请在环境变量或项目根目录的 .env 文件中设置它"
        "（在本机试用时运行 make run 即可自动生成 .env；开发时也可设置 DJANGO_DEBUG=1）。"]
    assert "Traceback" not in done.stderr


def test_settings_read_the_env_file_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# made by make run\nDJANGO_SECRET_KEY='k-from-file'\nDJANGO_DEBUG=1\n\n", encoding="utf-8")
    done = manage("shell", "-v", "0", "-c", PRINT_SETTINGS, env_file=env_file)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "k-from-file"]
    done = manage("shell", "-v", "0", "-c", PRINT_SETTINGS, env_file=env_file, extra={"DJANGO_DEBUG": "0"})
    assert done.stdout.split() == ["False", "k-from-file"]


def test_make_writes_a_private_env_file_with_a_generated_key(tmp_path):
    (tmp_path / "Makefile").write_text((ROOT / "Makefile").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(["make", "-s", ".env"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "已生成 .env" in done.stdout
    lines = (tmp_path / ".env").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "DJANGO_DEBUG=1" and lines[0].startswith("DJANGO_SECRET_KEY=") and len(lines[0]) > 60
    assert oct((tmp_path / ".env").stat().st_mode & 0o777) == "0o600"
    assert "\n.env\n" in (ROOT / ".gitignore").read_text(encoding="utf-8")
