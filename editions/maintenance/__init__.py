"""Running the database: the tables Alembic knows, migrations, backups and restores."""
