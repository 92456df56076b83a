from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from common.env import email_settings, env_bool, env_list
from config import embedded_db

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_stops_without_secret_key_when_debug_is_off():
    result = run_python("import django; django.setup()", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_database_url_selects_that_server():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; print(db['HOST'], db['PORT'], db['NAME'])",
        DATABASE_URL="postgres://postgres@db.example:6543/meridian_prod",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["db.example", "6543", "meridian_prod"]


@pytest.mark.parametrize(("threshold", "expected"), [("5", "5 False"), ("off", "None True")])
def test_behind_pgbouncer_prepared_statements_and_server_side_cursors_are_off(threshold, expected):
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(db['OPTIONS']['prepare_threshold'], db['DISABLE_SERVER_SIDE_CURSORS'])",
        DATABASE_URL="postgres://postgres@pgbouncer.example:6432/meridian",
        DATABASE_PREPARE_THRESHOLD=threshold,
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_database_url_must_be_postgres():
    result = run_python(
        "import django; django.setup()", DATABASE_URL="sqlite:///x.db", DEBUG="true"
    )
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_embedded_server_failure_names_its_log_file(tmp_path):
    broken = embedded_db.data_directory(tmp_path)
    broken.mkdir(parents=True)
    (broken / "PG_VERSION").write_text("9\n")  # a data directory no server can open
    with pytest.raises(ImproperlyConfigured) as error:
        embedded_db.database_settings(tmp_path, name="meridian")
    assert str(embedded_db.log_file(tmp_path)) in str(error.value)
    assert "DATABASE_URL" in str(error.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://mailer:p%40ss@smtp.example.org:587?tls=true",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_SSL": False,
                "EMAIL_USE_TLS": True,
            },
        ),
    ],
)
def test_email_url_is_parsed(url, expected):
    assert email_settings(url) == expected


def test_bad_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with"):
        email_settings("ftp://nope")
    monkeypatch.setenv("HOSTS", " a.example, b.example ,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REVERIFY_AFTER_DAYS": "30", "REVERIFY_WARNING_DAYS": "30"}, "REVERIFY_AFTER_DAYS must"),
        ({"REVERIFY_WARNING_DAYS": "-1"}, "REVERIFY_AFTER_DAYS must"),
        ({"REVERIFY_AFTER_DAYS": "a year"}, "REVERIFY_AFTER_DAYS must be a whole number"),
        ({"REVERIFY_ENFORCE": "sometimes"}, "REVERIFY_ENFORCE must be true or false"),
    ],
)
def test_bad_reverification_settings_stop_start_up(env, message):
    result = run_python("import django; django.setup()", DEBUG="true", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_reverification_settings_have_safe_defaults():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REVERIFY_AFTER_DAYS, s.REVERIFY_WARNING_DAYS, s.REVERIFY_ENFORCE, "
        "repr(s.IMPORT_DROP_DIR))",
        DEBUG="true",
        REVERIFY_AFTER_DAYS="",
        REVERIFY_WARNING_DAYS="",
        REVERIFY_ENFORCE="false",
        IMPORT_DROP_DIR="",
    )
    assert result.stdout.split() == ["365", "30", "False", "''"]
