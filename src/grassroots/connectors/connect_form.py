"""The "Connect a platform" form: the web twin of `grassroots connect` (secrets stored encrypted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grassroots.connectors.registry import connector_for

# Settings a brand fills in; the rest of a connector's config fields are for operators and tests.
EVERYDAY = {"handles", "channels", "shop", "store_url", "api", "daily_quota", "hashtags", "ig_user_id"}


@dataclass
class Field:
    """One input of the form."""

    name: str
    secret: bool
    optional: bool = False
    advanced: bool = False


@dataclass
class FormSpec:
    """What the form asks for one provider."""

    provider: str
    fields: list[Field] = field(default_factory=list)


def form_spec(provider: str) -> FormSpec:
    """The inputs of ``provider``'s form: secrets first (password inputs), then settings."""
    cls = connector_for(provider)
    optional = set(getattr(cls, "optional_secrets", ()))
    spec = FormSpec(provider)
    spec.fields += [Field(name, True, name in optional) for name in cls.secret_fields]
    spec.fields += [Field(name, False, True, name not in EVERYDAY) for name in cls.config_fields]
    return spec


def split_form(spec: FormSpec, form: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(secrets, settings) from the submitted form; empty settings are left out."""
    secrets = {f.name: str(form.get(f.name) or "") for f in spec.fields if f.secret}
    settings = {
        f.name: str(form[f.name]).strip() for f in spec.fields if not f.secret and str(form.get(f.name) or "").strip()
    }
    return secrets, settings
