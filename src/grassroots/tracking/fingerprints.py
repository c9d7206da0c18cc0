"""Hashed traits of an order that tell whether two orders came from the same person (pure; no I/O).

The referral programme compares a friend's order with the referrer's own orders: the same shipping address,
browser IP, device or card is a self-referral flag. Only hashes are stored. An IPv4 hash can be reversed by
trying every address, so these hashes are for comparison inside one workspace, never shown or exported.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

_WORDS = re.compile(r"[^0-9a-z]+")
# Placeholders stores send when they do not know the value: they would make every order look alike.
_NO_IP = {"", "0.0.0.0", "::", "127.0.0.1", "::1"}


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _clean(value: Any) -> str:
    return _WORDS.sub(" ", str(value or "").lower()).strip()


def address_key(address: Any) -> str | None:
    """A hash of a postal address with case, punctuation and spacing removed; None without street and postcode."""
    if not isinstance(address, dict):
        return None
    street = " ".join(_clean(address.get(k)) for k in ("address1", "address2")).strip()
    postcode = _clean(address.get("zip") or address.get("postcode")).replace(" ", "")
    if not street or not postcode:
        return None
    country = _clean(address.get("country_code") or address.get("country"))
    return _digest(street, postcode, country)


def order_fingerprints(
    ip: Any = None, user_agent: Any = None, language: Any = None, card: tuple[Any, Any, Any] | None = None
) -> dict[str, str] | None:
    """Hashes of the browser IP, the device (user agent and language) and the card (bin, last four, brand).

    A payment gateway alone is not a fingerprint (most buyers of a shop share it): the card needs its last
    four digits. Returns None when nothing is known.
    """
    found: dict[str, str] = {}
    if str(ip or "").strip() not in _NO_IP:
        found["ip"] = _digest("ip", str(ip).strip())
    if user_agent:
        found["device"] = _digest("device", str(user_agent), str(language or ""))
    if card is not None:
        bin_, number, brand = card
        last4 = re.sub(r"\D", "", str(number or ""))[-4:]
        if len(last4) == 4:
            found["payment"] = _digest("card", str(bin_ or ""), last4, _clean(brand))
    return found or None
