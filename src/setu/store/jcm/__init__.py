"""The Joint Crediting Mechanism's records and unit ledger, in the register's database (SQLite or PostgreSQL).

``tables`` declares them; migration 0003 creates them with the triggers that make the ledger's invariants the
database's own (see ``triggers``); ``ledger`` holds every query the JCM services run.
"""
