"""Typed, frozen settings: read once from the environment, passed to whoever needs them."""

from __future__ import annotations

import os
import secrets
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from editions.core.errors import check_edition
from editions.core.languages import Edition, load_editions

# The publisher's four editions. Names are the menu labels readers know; the
# Plural-Forms are GNU gettext's spelling (Poedit and Weblate recognise it and label
# the plural tabs), checked against CLDR when the settings load.
DEFAULT_EDITIONS: tuple[str, ...] = ("en", "ar", "fa", "sq")
DEFAULT_EDITION_OVERRIDES: Mapping[str, Mapping[str, str]] = {
    "en": {"plural_forms": "nplurals=2; plural=n != 1;"},
    "ar": {
        "name": "عربي",
        "plural_forms": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    },
    "fa": {"name": "فارسی", "plural_forms": "nplurals=2; plural=n > 1;"},
    "sq": {"name": "Shqip", "plural_forms": "nplurals=2; plural=n != 1;"},
}

# The publisher's name in each edition's script: a name, kept as the publisher writes it,
# never translated as the common noun "editions". A code without a form of its own
# takes the default edition's.
DEFAULT_SITE_NAMES: Mapping[str, str] = {
    "en": "Editions",
    "ar": "إديشنز",
    "fa": "ادیشنز",
    "sq": "Editions",
}

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # editions/
PROJECT_ROOT = PACKAGE_ROOT.parent


def bundled(name: str) -> Path:
    """The ``migrations`` or ``translations`` folder: the copy an installed wheel carries
    (setup.py), or else the checkout's, for a source tree and an editable install."""
    installed = PACKAGE_ROOT / "bundled" / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


ENVIRONMENTS = ("production", "development")


class ConfigurationError(RuntimeError):
    """Settings the app refuses to start with, saying which variable to set."""


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    edition_codes: tuple[str, ...] = DEFAULT_EDITIONS
    edition_overrides: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: DEFAULT_EDITION_OVERRIDES
    )
    default_edition: str = "en"
    site_names: Mapping[str, str] = field(default_factory=lambda: DEFAULT_SITE_NAMES)
    translations_path: Path = field(default_factory=lambda: bundled("translations"))
    site_url: str | None = None
    # "production" (the default) or "development" (``make run``). Outside development a
    # site URL or a list of trusted hosts is required: otherwise canonical, hreflang,
    # feed and sitemap links would name whatever Host a request sends, and a CDN would
    # keep those pages for everyone.
    environment: str = "production"
    trusted_hosts: tuple[str, ...] = ()  # other Host headers get 400 (".example.org": subdomains)
    # Proxies in front (nginx, a load balancer) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed: client addresses (sign-in limits) and HTTPS
    # (secure cookies) come from them. 0: the app faces its clients directly.
    proxies: int = 0
    max_upload_bytes: int = 5 * 1024 * 1024
    # Files attached to articles (videos above all) stream into the database a chunk at
    # a time, so their limit is their own: EDITIONS_MAX_ATTACHMENT_MB.
    max_attachment_bytes: int = 200 * 1_000_000
    # A public page checked against the database less than this many seconds ago is
    # served again from the process without SQL (0: check on every request).
    reader_revalidate_seconds: float = 1.0
    # Concurrent writers (editions.core.transactions), in seconds. SQLite: how long a writer
    # waits for the write lock. PostgreSQL, web requests only: how long a statement waits
    # for a row lock, and runs at all. Past them a request answers 503 with Retry-After.
    busy_timeout: float = 5.0
    lock_timeout: float = 3.0
    statement_timeout: float = 10.0
    testing: bool = False

    @cached_property
    def editions(self) -> dict[str, Edition]:
        return load_editions(self.edition_codes, self.edition_overrides)

    def edition(self, code: str) -> Edition:
        return check_edition(self.editions, code)

    def site_name(self, code: str) -> str:
        """The site's name as the edition ``code`` writes it."""
        return self.site_names.get(code) or self.site_names.get(self.default_edition) or "Editions"

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def check_deployable(self) -> None:
        """Refuse to serve with settings that are only safe on a developer's machine."""
        if self.environment not in ENVIRONMENTS:
            raise ConfigurationError(
                f"EDITIONS_ENV is {self.environment!r}; it is one of: {', '.join(ENVIRONMENTS)}"
            )
        for name in ("busy_timeout", "lock_timeout", "statement_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigurationError(f"EDITIONS_{name.upper()} is a number of seconds above 0")
        if self.proxies < 0:
            raise ConfigurationError("EDITIONS_PROXIES counts proxies: 0 or more")
        if self.environment == "development" or self.testing:
            return
        if not self.site_url and not self.trusted_hosts:
            raise ConfigurationError(
                "Outside development Editions needs EDITIONS_SITE_URL (the public address, "
                "e.g. https://news.example.org) or EDITIONS_TRUSTED_HOSTS (the host names it "
                "answers to, comma-separated): links in pages, feeds and sitemaps must not "
                "follow the Host a request names. On your own machine, EDITIONS_ENV=development."
            )

    @classmethod
    def from_env(cls, instance_path: Path | None = None, **overrides: Any) -> Settings:
        """Settings from ``EDITIONS_*`` variables and an optional TOML file.

        ``EDITIONS_CONFIG`` names a TOML file (default ``instance/editions.toml``)
        whose ``[editions]`` table may add editions, e.g.::

            [editions]
            codes = ["en", "ar", "fa", "sq", "ckb"]
            [editions.ckb]
            name = "کوردی"

        and name the site (``site_name = "Open Lantern"``, or one form per edition)::

            [site_name]
            en = "Open Lantern"
            fa = "اوپن لنترن"
        """
        instance = Path(instance_path or os.environ.get("EDITIONS_INSTANCE") or _default_instance())
        config_file = Path(os.environ.get("EDITIONS_CONFIG", instance / "editions.toml"))
        file_config: dict[str, Any] = {}
        if config_file.is_file():
            with config_file.open("rb") as handle:
                file_config = tomllib.load(handle)
        editions_table = dict(file_config.get("editions", {}))
        codes = editions_table.pop("codes", None)
        env_codes = os.environ.get("EDITIONS_EDITIONS")
        if env_codes:
            codes = [code.strip() for code in env_codes.split(",") if code.strip()]
        edition_overrides = {**DEFAULT_EDITION_OVERRIDES, **editions_table}
        values: dict[str, Any] = {
            "instance_path": instance,
            "database_url": os.environ.get("EDITIONS_DATABASE_URL")
            or file_config.get("database_url")
            or f"sqlite:///{instance / 'editions.sqlite3'}",
            "secret_key": os.environ.get("EDITIONS_SECRET_KEY")
            or file_config.get("secret_key")
            or _instance_secret(instance),
            "edition_codes": tuple(codes or DEFAULT_EDITIONS),
            "edition_overrides": edition_overrides,
            "site_names": _site_names(
                os.environ.get("EDITIONS_SITE_NAME") or file_config.get("site_name"),
                tuple(codes or DEFAULT_EDITIONS),
            ),
            "site_url": os.environ.get("EDITIONS_SITE_URL") or file_config.get("site_url"),
            "environment": os.environ.get("EDITIONS_ENV")
            or file_config.get("environment", "production"),
            "trusted_hosts": tuple(
                host.strip()
                for host in (
                    os.environ["EDITIONS_TRUSTED_HOSTS"].split(",")
                    if os.environ.get("EDITIONS_TRUSTED_HOSTS")
                    else file_config.get("trusted_hosts", [])
                )
                if host.strip()
            ),
            "proxies": int(os.environ.get("EDITIONS_PROXIES") or file_config.get("proxies", 0)),
            "max_attachment_bytes": int(
                float(
                    os.environ.get("EDITIONS_MAX_ATTACHMENT_MB")
                    or file_config.get("max_attachment_mb", 200)
                )
                * 1_000_000
            ),
            "reader_revalidate_seconds": float(
                os.environ.get("EDITIONS_READER_REVALIDATE_SECONDS")
                or file_config.get("reader_revalidate_seconds", 1.0)
            ),
            **{
                name: float(
                    os.environ.get(f"EDITIONS_{name.upper()}")
                    or file_config.get(name, getattr(cls, name))
                )
                for name in ("busy_timeout", "lock_timeout", "statement_timeout")
            },
        }
        values.update(overrides)
        return cls(**values)


def _default_instance() -> Path:
    """``instance/`` of the checkout; installed, ``<prefix>/var/editions-instance`` (where
    Flask keeps an installed app's instance folder), never inside site-packages."""
    if bundled("migrations").is_relative_to(PROJECT_ROOT / "editions"):
        return Path(sys.prefix) / "var" / "editions-instance"
    return PROJECT_ROOT / "instance"


def _site_names(configured: str | Mapping[str, str] | None, codes: tuple[str, ...]):
    if configured is None:
        return DEFAULT_SITE_NAMES
    if isinstance(configured, str):
        return {code: configured for code in codes}
    return dict(configured)


def _instance_secret(instance: Path) -> str:
    """A secret kept in the instance folder, made on first use, so sessions survive restarts."""
    path = instance / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
