"""A collaboration's shipping address: read by gifting, written from the portal or by the brand."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.portal.models import ShippingAddress


def shipping_address(session: Session, workspace_id: int, collaboration_id: int) -> ShippingAddress | None:
    """The address the creator gave for this collaboration, if any."""
    return session.scalar(
        select(ShippingAddress).where(
            ShippingAddress.workspace_id == workspace_id, ShippingAddress.collaboration_id == collaboration_id
        )
    )
