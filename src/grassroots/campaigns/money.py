"""Money as the ledger and the forms read it: ISO 4217 currency codes and decimal amounts, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 active codes (the SIX list, 2024), without funds, precious metals and testing codes.
_ISO_4217 = """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL
MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH
UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"""
CURRENCIES = frozenset(_ISO_4217.split())
MAX_AMOUNT = Decimal("9999999999.99")  # Numeric(12, 2)
CENT = Decimal("0.01")


def check_currency(value: str) -> str:
    """An ISO 4217 code in capitals, or ValueError with a message a person can act on."""
    code = value.strip().upper()
    if code not in CURRENCIES:
        raise ValueError(f"{value.strip() or 'an empty value'} is not an ISO 4217 currency code (EUR, USD, GBP…)")
    return code


def parse_amount(text: str, *, allow_zero: bool = False) -> Decimal:
    """'1,250.5' -> Decimal('1250.50'); ValueError for words, negatives, more than two decimals or absurd sizes."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("_", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("must be an amount like 250 or 49.90") from None
    return check_amount(amount, allow_zero=allow_zero)


def check_amount(amount: Decimal, *, allow_zero: bool = False) -> Decimal:
    """``amount`` rounded to cents when it is a sane positive sum; ValueError otherwise."""
    if not amount.is_finite():
        raise ValueError("must be an amount like 250 or 49.90")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValueError("must be more than 0" if not allow_zero else "must be 0 or more")
    if amount > MAX_AMOUNT:
        raise ValueError("is too large")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError("can have at most two decimals")
    return amount.quantize(CENT)
