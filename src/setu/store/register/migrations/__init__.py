"""Alembic migrations of the register, run from code by ``setu.store.register.migrate``."""
