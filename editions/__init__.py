"""Editions: the domain of a multilingual editions manager.

Nothing in this package imports Flask: the web application (``webapp``) and the
command line both call into it with a SQLAlchemy session and the acting user.
"""
