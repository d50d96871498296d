"""Database: declarative base, typed models, engine and session helpers."""
