"""Settings: the only module that reads the environment (prefix ``GRASSROOTS_``, ``.env`` supported)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})  # where secure_cookies defaults to off


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``GRASSROOTS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="GRASSROOTS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the SQLite file and secret live.")
    database_url: str = Field(default="", description="SQLAlchemy URL; default is SQLite in data_dir.")
    secret_key: str = Field(default="", description="Signs sessions; generated into data_dir if empty.")
    host: str = "127.0.0.1"
    port: int = 8000
    # Tier lower bounds in followers (see docs/decisions.md): below nano_min is micro-micro.
    tier_nano_min: int = 2_000
    tier_micro_min: int = 10_000
    tier_macro_min: int = 100_000
    tier_mega_min: int = 1_000_000
    session_max_age: int = 14 * 24 * 3600
    # Session cookie sent over HTTPS only; default: on unless the app listens on localhost (see _secure_default).
    secure_cookies: bool = False
    # Encrypts connector secrets at rest; derived from secret_key when empty (then keep secret_key stable).
    connector_key: str = ""
    # Meta app settings for the Instagram webhook (a connection's own config may override them).
    instagram_app_secret: str = ""
    instagram_verify_token: str = ""
    # Largest request body a webhook may send; larger ones are refused (413) before they are read.
    webhook_max_bytes: int = 2 * 1024 * 1024
    # How long (from its start) a webhook request waits for its delivery to be processed before answering
    # "accepted" (stored, processed moments later): well under the 2 s in which a delivery should be answered.
    webhook_wait_seconds: float = 1.0
    # Hosts a connection's base_url may point at (besides the provider's own); tests set a local server here.
    # Private, loopback and link-local addresses are refused unless listed.
    connector_allowed_hosts: list[str] = Field(default_factory=list)
    # Background jobs (docs/outreach.md): run inside `serve` (embedded) and/or in `grassroots worker` processes.
    jobs_in_server: bool = True
    jobs_lease_seconds: float = 300.0  # a job whose worker died is run again once its lease has expired
    jobs_poll_seconds: float = 1.0
    # Outgoing mail over SMTP. Without smtp_host messages stay queued (the Jobs page says why).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_tls: str = Field(default="starttls", pattern="^(starttls|ssl|none)$")
    smtp_timeout: float = 30.0
    mail_daily_cap: int = Field(default=200, ge=1, description="Messages per workspace per UTC day.")
    # The address people reach this server at, for links in mail (unsubscribe); default http://host:port.
    public_url: str = ""
    mentions_reminder_days: int = Field(default=3, ge=1, description="Flag a brand mention unanswered after N days.")
    # settings: outreach (follow-ups, IMAP replies)
    # Follow-ups drafted (never sent) per message without a reply, unless a campaign sets its own limit.
    outreach_max_follow_ups: int = Field(default=2, ge=0, le=10)
    # A draft cites a post from the last this-many days; older posts do not count as "recent".
    outreach_recent_post_days: int = Field(default=90, ge=1)
    # Replies read from a mailbox over IMAP (TLS unless imap_ssl is false); without imap_host, log replies by hand.
    imap_host: str = ""
    imap_port: int = 993
    imap_ssl: bool = True
    imap_user: str = ""
    imap_password: str = ""
    imap_folder: str = "INBOX"
    imap_poll_seconds: float = Field(default=300.0, ge=10.0)
    # settings: portal and agreements
    # settings: gifting
    # settings: creator insights (OAuth)
    # Where the creator OAuth flows and insight reads go, by key (docs/insights.md lists the keys and defaults);
    # only the operator sets these (tests point them at a local server), never a workspace form.
    creator_oauth_urls: dict[str, str] = Field(default_factory=dict)
    creator_oauth_state_seconds: int = Field(default=600, ge=60)  # how long a "Connect" click stays valid
    creator_oauth_refresh_days: int = Field(default=7, ge=1)  # refresh tokens this long before they expire
    # settings: tracking (links, click log, referrals)
    # Referral fraud check (docs/tracking.md): this many new customers using one referral code within 7 days without
    # opening its link flag the code as leaked (posted on a coupon site, say).
    referral_leak_threshold: int = Field(default=5, ge=2)
    # Short links (docs/attribution.md): clicks go to an append-only log under data_dir/clicklog, moved into the
    # database in batches every click_flush_seconds; click_fsync also fsyncs each line (survives power loss, slower).
    click_flush_seconds: float = Field(default=1.0, gt=0)
    click_flush_batch: int = Field(default=2_000, ge=1)
    click_fsync: bool = False
    link_cache_seconds: float = Field(default=30.0, gt=0)  # how soon a link archived elsewhere stops redirecting

    @model_validator(mode="after")
    def _check_tiers(self) -> Settings:
        bounds = [self.tier_nano_min, self.tier_micro_min, self.tier_macro_min, self.tier_mega_min]
        if bounds != sorted(bounds) or len(set(bounds)) != 4 or bounds[0] <= 0:
            raise ValueError("tier bounds must be positive and strictly increasing")
        return self

    @model_validator(mode="after")
    def _secure_default(self) -> Settings:
        # Anything but a loopback address is reached over a network, where the cookie must not travel in clear;
        # GRASSROOTS_SECURE_COOKIES (or an explicit argument) still decides when it is set.
        if "secure_cookies" not in self.model_fields_set:
            self.secure_cookies = self.host.strip().strip("[]").lower() not in LOCAL_HOSTS
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'grassroots.db').resolve()}"

    @property
    def base_url(self) -> str:
        """Where links in mail point: ``public_url``, else this server's own address."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def ensure_secret_key(self) -> str:
        """Return the secret key, creating and storing one in the data dir on first use."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        self.secret_key = path.read_text().strip()
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings object."""
    return Settings()
