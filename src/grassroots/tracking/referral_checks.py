"""The referral programme's fraud checks: pure functions that FLAG a referral with reasons (nothing is dropped).

A flag asks a person to look before paying the reward; the reward stays pending or payable as the rules say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from importlib.resources import files

LEAK_WINDOW = timedelta(days=7)
FINGERPRINTS = {"ip": "browser IP", "device": "device (browser and language)", "payment": "card"}


@dataclass(frozen=True)
class Buyer:
    """What identifies a buyer on an order: ids, email, hashed address and fingerprints."""

    customer_id: int | None
    email: str | None
    shipping_keys: frozenset[str] = frozenset()
    fingerprints: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Redemption:
    """An earlier use of the same code: when, by a new customer or not, and whether it came through the link."""

    at: datetime
    new_customer: bool
    via_link: bool


@dataclass
class Flags:
    """The checks that fired, each with a reason a person can read."""

    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, check: str, reason: str) -> None:
        """Record one check that fired."""
        self.items.append({"check": check, "reason": reason})


@cache
def disposable_domains() -> frozenset[str]:
    """The shipped list of throwaway email domains (tracking/disposable_domains.txt)."""
    text = files("grassroots.tracking").joinpath("disposable_domains.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def canonical_email(email: str | None) -> str | None:
    """An address with case, a ``+tag`` and (for Gmail) dots removed: ``Ann.Lee+x@gmail.com`` is ``annlee@gmail.com``."""
    if not email or "@" not in email:
        return None
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def check_referral(
    friend: Buyer,
    referrer: Buyer,
    *,
    at: datetime,
    via_link: bool,
    new_customer: bool,
    earlier: list[Redemption],
    leak_threshold: int,
) -> list[dict[str, str]]:
    """Every check that fires on one referred order (see docs/tracking.md, Referrals)."""
    flags = Flags()
    if friend.customer_id is not None and friend.customer_id == referrer.customer_id:
        flags.add("self_referral", "the referrer bought with their own code (same customer)")
    elif canonical_email(friend.email) and canonical_email(friend.email) == canonical_email(referrer.email):
        flags.add("self_referral", "the friend's email is the referrer's (ignoring case, +tags and Gmail dots)")
    if friend.shipping_keys & referrer.shipping_keys:
        flags.add("self_referral", "shipped to the referrer's address")
    for kind, _ in sorted(friend.fingerprints & referrer.fingerprints):
        flags.add(f"shared_{kind}", f"same {FINGERPRINTS.get(kind, kind)} as one of the referrer's orders")
    domain = (friend.email or "").rpartition("@")[2].lower()
    if domain and domain in disposable_domains():
        flags.add("disposable_email", f"{domain} is a throwaway email domain")
    recent = [r for r in earlier if at - LEAK_WINDOW <= r.at <= at] + [Redemption(at, new_customer, via_link)]
    cold = [r for r in recent if r.new_customer and not r.via_link]
    if not via_link and new_customer and len(cold) >= leak_threshold:
        flags.add(
            "leaked_code",
            f"{len(cold)} new customers used this code within 7 days without opening the referral link "
            "and with no earlier order: it may be posted on a coupon site",
        )
    return flags.items
