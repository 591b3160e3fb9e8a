"""The Flask application: ``create_app`` builds it from typed settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from editions.core.settings import Settings


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the app. ``overrides`` replace fields of the settings read from the environment."""
    if settings is None:
        settings = Settings.from_env(**overrides)
    elif overrides:
        settings = settings.with_changes(**overrides)
    from webapp.database import EditionsApp

    app = EditionsApp(__name__, instance_path=str(Path(settings.instance_path).resolve()))
    from webapp.forms import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        # A long article's body is one field: as large as a request may be (Flask's
        # default, 500 KB, is a fifth of a 2,000-paragraph report).
        MAX_FORM_MEMORY_SIZE=settings.max_upload_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
        TRUSTED_HOSTS=list(settings.trusted_hosts) or None,
    )
    if settings.proxies:
        # Only what proxies set themselves: the client's address and the scheme.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxies, x_proto=settings.proxies
        )

    from webapp import database, errors, i18n, labels, messages, problems

    i18n.init_app(app, settings)
    settings.check_deployable()
    messages.init_app(app)
    labels.init_app(app)
    problems.init_app(app)
    errors.init_app(app)
    database.init_app(app, settings)
    from webapp import security

    security.init_app(app, settings)

    # Blueprints are imported here, not at module level, so no import needs an app.
    from webapp.health import blueprint as health

    app.register_blueprint(health)
    from webapp.reader import blueprint as reader

    app.register_blueprint(reader)
    from webapp.api import blueprint as api

    security.csrf.exempt(api)  # token-authenticated, never a cookie session
    app.register_blueprint(api)
    from webapp.media import blueprint as media

    app.register_blueprint(media)
    from webapp.authoring import blueprint as authoring

    app.register_blueprint(authoring)
    from webapp.auth import blueprint as auth
    from webapp.dashboard import blueprint as dashboard

    app.register_blueprint(auth)
    app.register_blueprint(dashboard)
    from webapp.exchange import blueprint as exchange

    app.register_blueprint(exchange)
    from webapp.glossary import blueprint as glossary

    app.register_blueprint(glossary)
    from webapp.newsletter import blueprint as newsletter

    app.register_blueprint(newsletter)
    from webapp.newsletter_output import blueprint as newsletter_output

    app.register_blueprint(newsletter_output)
    return app
