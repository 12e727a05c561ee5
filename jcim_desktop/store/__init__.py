"""Persistence: SQLAlchemy models, the change-stamping mechanism, migrations and backups."""
