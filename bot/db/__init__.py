"""Database: the declarative base and its column types, engine, sessions and transactions, migrations."""
