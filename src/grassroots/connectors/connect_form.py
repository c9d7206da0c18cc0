"""The "Connect a platform" form: the web twin of `grassroots connect` (secrets stored encrypted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grassroots.connectors.registry import connector_for

# Settings a brand fills in; the rest of a connector's config fields are for operators and tests.
EVERYDAY = {"handles", "channels", "shop", "store_url", "api", "daily_quota", "hashtags", "ig_user_id", "verify_token"}
LABELS = {
    "access_token": "Access token", "app_secret": "Meta app secret", "ig_user_id": "Instagram account ID",
    "verify_token": "Webhook verify token", "handles": "Accounts to watch", "hashtags": "Hashtags to watch",
    "api_key": "API key", "channels": "Channels", "daily_quota": "Daily quota (units)",
    "shop": "Shop domain", "client_secret": "App client secret", "api": "Admin API", "api_version": "API version",
    "store_url": "Store address", "consumer_key": "Consumer key", "consumer_secret": "Consumer secret",
    "webhook_secret": "Webhook secret", "base_url": "API address", "max_pages": "Pages per sync",
    "comment_pages": "Comment pages per video", "graph_version": "Graph API version",
}  # fmt: skip
HINTS = {
    "ig_user_id": "the number of the brand's Instagram professional account (Graph API Explorer: me/accounts)",
    "handles": "other creators' @handles, comma separated (read through business discovery)",
    "hashtags": "without #, comma separated; Instagram allows 30 different hashtags a week",
    "channels": "channel ids (UC…) or @handles, comma separated",
    "shop": "your-shop.myshopify.com", "store_url": "https://your-store.example (HTTPS only)",
    "api": "graphql (default) or rest", "verify_token": "any phrase; type the same one in Meta's webhook settings",
}  # fmt: skip
# Where each secret comes from and the permissions (scopes) it needs: shown above the form.
PROVIDER_HELP = {
    "instagram": "A Meta app with the Instagram Graph API: a long-lived user access token with instagram_basic, "
    "instagram_manage_comments, instagram_manage_insights, pages_show_list and pages_read_engagement "
    "(business_management to read other accounts). The app secret is only needed for webhooks.",
    "youtube": "An API key from Google Cloud with the YouTube Data API v3 enabled (10,000 quota units a day).",
    "tiktok": "An access token from TikTok's Display API (Login Kit) with the user.info.basic, user.info.stats "
    "and video.list scopes.",
    "shopify": "A custom app's Admin API access token with read_orders, read_all_orders (orders older than 60 "
    "days), read_customers and read_discounts (write_discounts to create codes); its client secret signs webhooks.",
    "woocommerce": "REST API keys (WooCommerce → Settings → Advanced → REST API) with Read permission "
    "(Read/Write to create coupons), and the secret of the order webhook you add there.",
}


@dataclass
class Field:
    """One input of the form."""

    name: str
    secret: bool
    optional: bool = False
    advanced: bool = False

    @property
    def label(self) -> str:
        """What the person reads: a name, not a config key."""
        return LABELS.get(self.name, self.name.replace("_", " ").capitalize())

    @property
    def hint(self) -> str:
        """A short example or rule under the input."""
        return HINTS.get(self.name, "")


@dataclass
class FormSpec:
    """What the form asks for one provider."""

    provider: str
    fields: list[Field] = field(default_factory=list)

    @property
    def help(self) -> str:
        """Where the secrets come from and which permissions they need."""
        return PROVIDER_HELP.get(self.provider, "")


def form_spec(provider: str) -> FormSpec:
    """The inputs of ``provider``'s form: secrets first (password inputs), then settings."""
    cls = connector_for(provider)
    optional = set(getattr(cls, "optional_secrets", ()))
    spec = FormSpec(provider)
    spec.fields += [Field(name, True, name in optional) for name in cls.secret_fields]
    required = set(getattr(cls, "required_config", ()))
    spec.fields += [Field(name, False, name not in required, name not in EVERYDAY) for name in cls.config_fields]
    return spec


def split_form(spec: FormSpec, form: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(secrets, settings) from the submitted form; empty settings are left out."""
    secrets = {f.name: str(form.get(f.name) or "") for f in spec.fields if f.secret}
    settings = {
        f.name: str(form[f.name]).strip() for f in spec.fields if not f.secret and str(form.get(f.name) or "").strip()
    }
    return secrets, settings
