"""Importing this module registers every provider's connector.

One `import grassroots.connectors.<module>` line per provider module, kept in alphabetical order.
"""

# ruff: noqa: F401
import grassroots.connectors.instagram
import grassroots.connectors.shopify
import grassroots.connectors.woocommerce
import grassroots.connectors.youtube
from grassroots.connectors import tiktok
