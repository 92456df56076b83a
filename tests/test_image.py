"""The image builds and runs: its files are what `COPY . .` takes after .dockerignore, the
project installs from them without --editable, and every command runs from them. (Base
images cannot be pulled where the suite runs, so the Dockerfile's steps are repeated in a
fresh virtual environment.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dockerignore import build_context, excluded, rules

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "image-test-" + "k3y-" * 15,
    "ALLOWED_HOSTS": "directory.example.org",
    "DATABASE_URL": "postgres://meridian_app@db.internal:5432/meridian",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "TRUST_X_FORWARDED_PROTO": "true",
}

EVERY_HELP = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import get_commands, load_command_class
names = sorted(get_commands().items())
for name, app in names:
    parser = load_command_class(app, name).create_parser("manage.py", name)
    assert "usage: manage.py " + name in parser.format_help(), name
print(len(names))
"""


def test_dockerignore_follows_dockers_rules():
    parsed = rules("# comment\n.git\n**/__pycache__\n*.md\n!README.md\ndocs\n/build\n")
    assert excluded(".git/HEAD", parsed)
    assert excluded("directory/__pycache__/models.cpython-311.pyc", parsed)
    assert excluded("CHANGELOG.md", parsed) and not excluded("README.md", parsed)
    assert not excluded("directory/notes.md", parsed)  # `*` stays within one element
    assert excluded("docs/index.md", parsed) and excluded("build/lib/x.py", parsed)
    assert not excluded("directory/models.py", parsed)


def test_the_image_leaves_out_local_state_and_keeps_every_package():
    files = build_context(ROOT)
    assert "manage.py" in files and "pyproject.toml" in files
    assert not any(f.startswith((".git/", ".venv/", ".data/", "tests/")) for f in files)
    assert ".env" not in files
    assert not any("__pycache__" in f for f in files)
    packages = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert packages <= {f.split("/")[0] for f in files}


def run(python: Path, *args: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


@pytest.mark.process  # a fresh virtual environment, pip and Meridian's own processes
def test_the_image_file_set_installs_and_runs(tmp_path):
    app = tmp_path / "app"
    for relative in build_context(ROOT):
        target = app / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTHON")) and key != "VIRTUAL_ENV"
    }
    env["PATH"] = f"{python.parent}:{env.get('PATH', '')}"
    # As the Dockerfile: `pip install .` (a wheel, not --editable), with pip's usual index
    # and cache.
    run(python, "-m", "pip", "install", "--quiet", ".", cwd=app, env=env)

    # Every package, whole, in site-packages: run from elsewhere, every command module of
    # the source tree imports from the installed copy.
    modules = sorted(
        ".".join(path.relative_to(app).with_suffix("").parts)
        for path in app.glob("*/management/commands/*.py")
        if path.name != "__init__.py"
    )
    assert "public_record.management.commands.import_roster" in modules
    check = (
        "import importlib, django\n"
        "django.setup()\n"
        f"for name in {modules!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    assert 'site-packages' in module.__file__, module.__file__\n"
    )
    installed = {**env, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"}
    run(python, "-c", check, cwd=tmp_path, env=installed)

    # As the Dockerfile's build step, then as the container runs.
    build_env = {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "build-only",
        "DATABASE_URL": "postgres://build@localhost/build",
    }
    run(python, "manage.py", "collectstatic", "--no-input", "-v0", cwd=app, env=build_env)
    assert (app / "staticfiles" / "staticfiles.json").exists()
    deploy = run(
        python, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        cwd=app, env={**env, **PRODUCTION},
    )  # fmt: skip
    assert "no issues" in deploy
    count = run(python, "-c", EVERY_HELP, cwd=app, env={**env, **PRODUCTION})
    assert int(count.strip().splitlines()[-1]) > 30
