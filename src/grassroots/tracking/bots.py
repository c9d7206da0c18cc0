"""Which requests to a short link are bots or link-preview fetchers (flagged on the click, never dropped)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

CRAWLER_LIST = Path(__file__).with_name("crawler_user_agents.txt")
# Named first so the reason reads as the fetcher people know (a WhatsApp preview, not "crawler pattern").
PREVIEWERS = (
    ("facebookexternalhit", "Facebook link preview"),
    ("facebookcatalog", "Facebook catalog fetcher"),
    ("whatsapp", "WhatsApp link preview"),
    ("slackbot", "Slack link preview"),
    ("slack-imgproxy", "Slack link preview"),
    ("twitterbot", "X (Twitter) link preview"),
    ("discordbot", "Discord link preview"),
    ("telegrambot", "Telegram link preview"),
    ("linkedinbot", "LinkedIn link preview"),
    ("skypeuripreview", "Skype link preview"),
    ("googlebot", "Googlebot"),
    ("bingbot", "Bingbot"),
    ("bingpreview", "Bing preview"),
)


def _patterns(path: Path = CRAWLER_LIST) -> re.Pattern[str]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    return re.compile("|".join(f"(?:{line})" for line in lines if line and not line.startswith("#")), re.I)


CRAWLERS = _patterns()


@lru_cache(maxsize=8192)  # user agents repeat: a click from a known one costs a dict lookup
def bot_reason(user_agent: str) -> str | None:
    """Why a user agent is a bot ("WhatsApp link preview", "crawler: AhrefsBot"), or None for a person."""
    if not user_agent.strip():
        return "no user agent"
    lowered = user_agent.lower()
    for needle, reason in PREVIEWERS:
        if needle in lowered:
            return reason
    found = CRAWLERS.search(user_agent)
    if found:
        return f"crawler: {found.group(0).strip()[:80]}"
    return None


def classify(method: str, user_agent: str) -> str | None:
    """The bot reason for a request: HEAD requests (previews and link checkers) count as bots too."""
    reason = bot_reason(user_agent[:500])
    if method == "HEAD":
        return f"HEAD request; {reason}" if reason else "HEAD request"
    return reason
