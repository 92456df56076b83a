"""The database's own rules (triggers and the SQL functions they and the indexes call) are
written in `.sql` files beside the models they guard, `<app>/sql/<rule>.sql`, and a migration
installs a file with `run_sql_file`. The file is the current definition; migrations are
history (tests/common/test_sql_files.py fails when the database and the files differ).

Why files and not django-pgtrigger, which declares triggers on the model: every trigger
pgtrigger installs first asks `_pgtrigger_should_ignore()`, which reads the session setting
`pgtrigger.ignore`, and any client may set a custom setting. The app's database role, which
may update licenses and clinics, could then change a status without its event or skip the
trigger that computes `listing_days`; today no role but the schema's owner can. pgtrigger
also gives each trigger a function of its own under a generated name, where ours share
functions (one refresh for three tables, one event check taking the column as an argument)
under names the operations tooling and the benchmark refer to.

Each file is written to be run again: `CREATE OR REPLACE` for functions and triggers,
`DROP TRIGGER IF EXISTS` before a constraint trigger (which has no `OR REPLACE`). To change
a rule, edit its file and add a migration that runs it again, naming the file's new
checksum: a database already migrated gets the new text only from a new migration, and the
test fails while the last migration that runs a file names another checksum than the
file's. docs/database-rules.md says what else to mind."""

from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.db import migrations


def sql_file(app: str, name: str) -> Path:
    """`<app>/sql/<name>`, found from the app's package (not the working directory)."""
    package = import_module(app)
    assert package.__file__ is not None  # an app is a regular package, never a namespace
    return Path(package.__file__).parent / "sql" / name


def rule_files() -> list[Path]:
    """Every installed app's rule files, in a stable order."""
    return sorted(
        path for config in apps.get_app_configs() for path in Path(config.path, "sql").glob("*.sql")
    )


def checksum(path: Path) -> str:
    """What a migration names to say which text of a file it was written for."""
    text = path.read_text().replace("\r\n", "\n")  # the same on a checkout with CRLF
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class RunSQLFile(migrations.RunSQL):
    """Installs `<app>/sql/<name>`. Reversing it leaves the definitions in place (see
    docs/database-rules.md)."""

    def __init__(self, app: str, name: str, *, checksum: str) -> None:
        self.path = sql_file(app, name)
        self.checksum = checksum
        super().__init__(self.path.read_text(), migrations.RunSQL.noop)


def run_sql_file(app: str, name: str, *, checksum: str) -> RunSQLFile:
    """A migration operation that installs `<app>/sql/<name>`, written when the file's
    checksum was `checksum`."""
    return RunSQLFile(app, name, checksum=checksum)
