"""Every model, imported so that `Base.metadata` is complete for Alembic."""

from bot.db.models.content import ContentItem
from bot.db.models.core import Delivery, DeliveryStatus, Person, ProcessedEvent, Workspace
from bot.db.models.library import ResourceEvent, ResourceFeedback, ResourceOpen, Search
from bot.db.models.llm import LlmCache, LlmCall, LlmUsage
from bot.db.models.practice import PracticeDay, PracticeSubscription, SelfRating

__all__ = [
    "ContentItem",
    "Delivery",
    "DeliveryStatus",
    "LlmCache",
    "LlmCall",
    "LlmUsage",
    "Person",
    "PracticeDay",
    "PracticeSubscription",
    "ProcessedEvent",
    "ResourceEvent",
    "ResourceFeedback",
    "ResourceOpen",
    "Search",
    "SelfRating",
    "Workspace",
]
