"""What became of each delivery, as SQL that other domains' repositories join with (read-only).

A view of the outbox published on purpose: its columns are the contract, the table stays private.
"""

from __future__ import annotations

from sqlalchemy import Subquery, select

from bot.outbox.models import Delivery


def statuses() -> Subquery:
    """(key, status, kind, subject_id, sent_at) of every delivery."""
    return select(Delivery.key, Delivery.status, Delivery.kind, Delivery.subject_id, Delivery.sent_at).subquery(
        "delivery_statuses"
    )
