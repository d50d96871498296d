"""Every model, imported so that `Base.metadata` is complete for Alembic."""

from bot.db.models.core import Delivery, DeliveryStatus, Person, ProcessedEvent, Workspace

__all__ = ["Delivery", "DeliveryStatus", "Person", "ProcessedEvent", "Workspace"]
