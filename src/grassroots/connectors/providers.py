"""Importing this module registers every provider's connector.

One `import grassroots.connectors.<module>` line per provider module, kept in alphabetical order.
"""

# ruff: noqa: F401
import grassroots.connectors.instagram.connector
import grassroots.connectors.shopify.connector
import grassroots.connectors.woocommerce.connector
import grassroots.connectors.youtube.connector
from grassroots.connectors.tiktok import connector as tiktok
