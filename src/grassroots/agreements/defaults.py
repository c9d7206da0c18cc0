"""A new collaboration's first brief and agreement, taken from its campaign and terms (then edited per creator)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from grassroots.agreements.documents import AgreementFields, BriefFields, Deadline
from grassroots.campaigns.models import Campaign, CampaignKind, Collaboration, Compensation
from grassroots.campaigns.pipeline import effective_terms

# Plain-language disclosure the FTC and the ASA accept: it names the relationship, up front.
PAID_DISCLOSURE = "#ad · Paid partnership with {brand}"
GIFT_DISCLOSURE = "#gifted · Gifted by {brand}"


def money(amount: Decimal, currency: str) -> str:
    """1250, 'EUR' -> '1,250.00 EUR' (a contract spells the currency out)."""
    return f"{amount:,.2f} {currency}"


def disclosure(campaign: Campaign, collaboration: Collaboration, brand: str) -> str:
    """'#ad' wording for paid or commission work, '#gifted' for a gift."""
    terms = effective_terms(campaign, collaboration)
    wording = GIFT_DISCLOSURE if terms.compensation is Compensation.gift else PAID_DISCLOSURE
    return wording.format(brand=brand)


def payment_terms(campaign: Campaign, collaboration: Collaboration) -> str:
    """The compensation in words, from the collaboration's terms (else the campaign's)."""
    terms = effective_terms(campaign, collaboration)
    cur = campaign.currency
    parts = []
    if terms.fee is not None:
        parts.append(f"A flat fee of {money(terms.fee, cur)}, paid within 30 days after the agreed content is live.")
    if terms.commission_pct is not None:
        parts.append(
            f"A commission of {terms.commission_pct} % of the sales made with your code or link, payable "
            f"{campaign.commission_hold_days} days after each sale (returns happen)."
        )
    if terms.gift_value is not None:
        parts.append(f"The product as a gift (worth about {money(terms.gift_value, cur)}), yours to keep.")
    elif terms.compensation is Compensation.gift:
        parts.append("The product as a gift, yours to keep.")
    if terms.compensation is Compensation.gift:
        parts.append("No payment.")
    return " ".join(parts)


def brief(campaign: Campaign, collaboration: Collaboration, brand: str, codes: list[str]) -> BriefFields:
    """The campaign's brief, hashtags and codes, with the disclosure this collaboration needs."""
    deadlines = [Deadline(on=campaign.ends_on, what="campaign ends")] if campaign.ends_on else []
    return BriefFields(
        key_messages=[line.strip() for line in (campaign.brief or "").splitlines() if line.strip()],
        disclosure=disclosure(campaign, collaboration, brand),
        hashtags=["#" + h.lstrip("#") for h in campaign.hashtags or []],
        links=list(dict.fromkeys([*codes, *(campaign.promo_codes or [])])),
        deadlines=deadlines,
    )


def agreement(campaign: Campaign, collaboration: Collaboration, brand: str) -> AgreementFields:
    """Deliverables by campaign kind, organic reuse for a year after the campaign, no paid usage by default."""
    seeding = campaign.kind is CampaignKind.seeding
    deliverables = (
        ["None required: share the product only if you like it"]
        if seeding
        else ["One post or reel featuring the product"]
    )
    end = campaign.ends_on
    return AgreementFields(
        deliverables=deliverables,
        deadlines=[] if seeding or end is None else [Deadline(on=end, what="content live")],
        channels=["the brand's own social accounts", "the brand's website"],
        paid_usage=False,
        usage_expires_on=end + timedelta(days=365) if end else None,
        payment_terms=payment_terms(campaign, collaboration),
        disclosure=disclosure(campaign, collaboration, brand),
    )
