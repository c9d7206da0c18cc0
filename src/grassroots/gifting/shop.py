"""The workspace's Shopify store, as gifting uses it: the active connection and a connector to call it."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection, ConnectionStatus
from grassroots.connectors.shopify.connector import ShopifyConnector

# Tests serve recorded Admin API answers through this (httpx.MockTransport); None is the real network.
TRANSPORT: httpx.BaseTransport | None = None


def store_connection(session: Session, workspace_id: int) -> Connection | None:
    """The workspace's active Shopify connection, if there is one."""
    for connection in repository.list_connections(session, workspace_id, "shopify"):
        if connection.status == ConnectionStatus.active.value:
            return connection
    return None


def connector(connection: Connection, settings: Settings) -> ShopifyConnector:
    """A connector on the connection's decrypted token (its GraphQL calls wait out throttling)."""
    secrets = decrypt_secret(connection.secret, settings=settings)
    return ShopifyConnector(connection, secrets, transport=TRANSPORT)
