"""Storage of the cooperation register (SQLAlchemy 2 Core): tables, Alembic migrations shipped in the
package, transactions, backups, and scratch databases for tests and benchmarks. The only part of the
register that imports SQLAlchemy."""
