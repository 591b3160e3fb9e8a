"""A built wheel, installed on its own, migrates a database and translates the interface:
it carries the Alembic migrations and the compiled catalogs (setup.py)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

import polib
import pytest

from editions.core.settings import PROJECT_ROOT
from editions.maintenance.schema import head_revision

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "babel.cfg")
FOLDERS = ("editions", "webapp", "migrations", "translations")


def run(*command: str | Path, **options) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, **options
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


def test_an_installed_wheel_migrates_a_database_and_loads_its_catalogs(tmp_path):
    pytest.importorskip("setuptools.command.bdist_wheel", reason="setuptools>=70.1 builds wheels")
    # A copy of the checkout without compiled catalogs: the build must compile them.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        shutil.copy2(PROJECT_ROOT / name, source / name)
    for name in FOLDERS:
        shutil.copytree(
            PROJECT_ROOT / name,
            source / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "bundled"),
        )
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "-q")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", source)
    [wheel] = (tmp_path / "dist").glob("editions_manager-*.whl")

    # A virtualenv with the wheel alone; its dependencies are read from this one's.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(*pip, "--python", python, "install", "--no-deps", wheel)
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    work = tmp_path / "work"
    work.mkdir()  # nowhere near the checkout
    env = {
        "PATH": os.environ.get("PATH", ""),
        "EDITIONS_ENV": "development",
        "EDITIONS_INSTANCE": str(work / "instance"),
        "EDITIONS_DATABASE_URL": f"sqlite:///{work / 'editions.sqlite3'}",
    }
    upgraded = run(venv / "bin" / "editions", "db", "upgrade", cwd=work, env=env)
    assert "database at head" in upgraded.stdout
    with sqlite3.connect(work / "editions.sqlite3") as database:
        [(revision,)] = database.execute("SELECT version_num FROM alembic_version").fetchall()
    assert revision == head_revision()

    probe = (
        "import editions\n"
        "from babel.support import Translations\n"
        "from editions.core.settings import Settings\n"
        "settings = Settings.from_env()\n"
        "print(editions.__file__)\n"
        "print(settings.translations_path)\n"
        "print(Translations.load(settings.translations_path, ['fa']).gettext('Sign in'))\n"
    )
    module, translations, signed_in = run(
        python, "-c", probe, cwd=work, env=env
    ).stdout.splitlines()
    assert Path(module).is_relative_to(venv) and Path(translations).is_relative_to(venv)
    persian = polib.pofile(str(PROJECT_ROOT / "translations/fa/LC_MESSAGES/messages.po"))
    assert signed_in == persian.find("Sign in").msgstr != "Sign in"
