"""Declarative base with a naming convention, and the column types every model shares."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import JSON, DateTime, MetaData, String
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores an aware datetime as UTC and always hands back an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSON everywhere, JSONB where the database has it.
JSONValue = JSON().with_variant(postgresql.JSONB(), "postgresql")

E = TypeVar("E", bound=enum.StrEnum)
V = TypeVar("V")


class EnumText(TypeDecorator[E]):
    """A `StrEnum` stored as its value in a VARCHAR (no database enum to migrate): rows read back as the
    enum, and a value that is not a member fails on write, not later."""

    impl = String
    cache_ok = True

    def __init__(self, enum_type: type[E], length: int) -> None:
        super().__init__(length)
        self.enum_type = enum_type

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_type(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum_type(value)


class JSONShape(TypeDecorator[V], Generic[V]):
    """A JSON column with a typed shape: `dump` turns the value into JSON, `load` reads it back."""

    impl = JSON
    cache_ok = True

    def __init__(self, dump: Callable[[V], Any], load: Callable[[Any], V]) -> None:
        super().__init__(none_as_null=True)
        self.dump, self.load = dump, load

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        # None is SQL NULL, not JSON null, so `IS NULL` finds what was never set or was cleared
        json = postgresql.JSONB(none_as_null=True) if dialect.name == "postgresql" else JSON(none_as_null=True)
        return dialect.type_descriptor(json)

    def process_bind_param(self, value: V | None, dialect: Dialect) -> Any:
        return None if value is None else self.dump(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> V | None:
        return None if value is None else self.load(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime()}
