"""The wheel carries what an installed ``editions`` needs beside its packages: the Alembic
migrations and the interface catalogs, compiled, under ``editions/bundled/``.

They stay at the top of the source tree, where Alembic and pybabel keep them; an editable
install reads them there (``editions.core.settings.bundled``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithMigrationsAndCatalogs(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        bundled = Path(self.build_lib) / "editions" / "bundled"
        shutil.rmtree(bundled, ignore_errors=True)
        shutil.copytree(
            ROOT / "migrations",
            bundled / "migrations",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        _compile_catalogs(ROOT / "translations", bundled / "translations")


def _compile_catalogs(source: Path, target: Path) -> None:
    # The .po files too (coordinators download them, the exchange counts them), compiled
    # here, never copied: a stale or missing .mo in the checkout cannot reach an install.
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.mo"))
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        folder = target / po.relative_to(source).parent
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        with (folder / "messages.mo").open("wb") as out:
            write_mo(out, catalog)


setup(cmdclass={"build_py": BuildWithMigrationsAndCatalogs})
