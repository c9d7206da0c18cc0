"""The redirector's hot path: slug -> destination from memory, a click id, one log line, the 302.

Nothing here waits on the database except a cache miss (a slug not seen yet), read once in a worker thread.
Links changed in this process are dropped from the cache when their transaction commits (``forget_on_commit``);
the flusher thread re-reads the cached slugs every ``link_cache_seconds`` for changes made by other processes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.tracking.bots import classify
from grassroots.tracking.clicklog import ClickLine, Flusher, click_log
from grassroots.tracking.link_models import ShortLink

log = logging.getLogger(__name__)
CLICK_PARAM = "gr_click"
NEGATIVE_SECONDS = 30.0  # an unknown slug is looked up again after this long (a link made in another process)
NEGATIVE_MAX = 10_000  # a scan of random slugs cannot grow the cache without bound


@dataclass(frozen=True, slots=True)
class Target:
    """Where a slug sends people: the destination with its UTM parameters, split around the fragment."""

    link_id: int
    workspace_id: int
    before_fragment: str
    fragment: str

    def url(self, click_id: str | None) -> str:
        """The destination with the click id appended (None: the click could not be logged)."""
        if click_id is None:
            return self.before_fragment + self.fragment
        joiner = "&" if "?" in self.before_fragment else "?"
        return f"{self.before_fragment}{joiner}{CLICK_PARAM}={click_id}{self.fragment}"


def with_utm(destination: str, utm: dict[str, str | None]) -> str:
    """The destination with the link's UTM parameters (they replace the same keys already in its query)."""
    parts = urlsplit(destination)
    keep = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in utm and k != CLICK_PARAM]
    query = urlencode(keep + [(k, v) for k, v in utm.items() if v])
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, parts.fragment))


def target_of(link: ShortLink) -> Target:
    """A link's redirect target."""
    url = with_utm(link.destination, {"utm_source": link.utm_source, "utm_medium": link.utm_medium,
                                      "utm_campaign": link.utm_campaign, "utm_content": link.utm_content})  # fmt: skip
    before, hash_, fragment = url.partition("#")
    return Target(link.id, link.workspace_id, before, hash_ + fragment)


def _load(engine: Engine, slugs: list[str]) -> dict[str, Target]:
    with session_scope(engine) as session:
        links = session.scalars(select(ShortLink).where(ShortLink.slug.in_(slugs), ShortLink.archived_at.is_(None)))
        return {link.slug: target_of(link) for link in links}


class LinkCache:
    """slug -> Target for one database; misses are remembered for a while so unknown slugs stay cheap."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.targets: dict[str, Target] = {}
        self.missing: dict[str, float] = {}
        self._lock = threading.Lock()

    async def find(self, slug: str) -> Target | None:
        """The target of a live link, reading the database only on a miss."""
        found = self.targets.get(slug)
        if found is not None:
            return found
        if time.monotonic() < self.missing.get(slug, 0.0):
            return None
        loaded = (await run_in_threadpool(_load, self.engine, [slug])).get(slug)
        with self._lock:
            if loaded is not None:
                self.targets[slug] = loaded
            else:
                if len(self.missing) >= NEGATIVE_MAX:
                    self.missing.clear()
                self.missing[slug] = time.monotonic() + NEGATIVE_SECONDS
        return loaded

    def forget(self, slug: str) -> None:
        """Drop a slug (its link changed): the next click reads it again."""
        with self._lock:
            self.targets.pop(slug, None)
            self.missing.pop(slug, None)

    def refresh(self) -> None:
        """Re-read every cached slug (links archived or edited by another process stop or change here too)."""
        slugs = list(self.targets)
        fresh: dict[str, Target] = {}
        for start in range(0, len(slugs), 500):
            fresh |= _load(self.engine, slugs[start : start + 500])
        with self._lock:
            for slug in slugs:
                if slug in fresh:
                    self.targets[slug] = fresh[slug]
                else:
                    self.targets.pop(slug, None)


_CACHES: dict[int, LinkCache] = {}
_GUARD = threading.RLock()


def cache_for_unlocked(engine: Engine) -> LinkCache:
    """``cache_for`` for a caller that holds the guard."""
    found = _CACHES.get(id(engine))
    if found is None:
        found = _CACHES[id(engine)] = LinkCache(engine)
    return found


def cache_for(engine: Engine) -> LinkCache:
    """The process-wide cache of an engine's links."""
    found = _CACHES.get(id(engine))  # the hot path: no lock once the cache exists
    if found is not None:
        return found
    with _GUARD:
        return cache_for_unlocked(engine)


def forget_on_commit(session: Session, slug: str) -> None:
    """Drop ``slug`` from every cache once the session commits (a rolled-back change leaves the cache alone)."""

    def drop(_: Session) -> None:
        for cache in list(_CACHES.values()):
            cache.forget(slug)

    event.listen(session, "after_commit", drop, once=True)


@dataclass(frozen=True, slots=True)
class Keys:
    """Keys derived from the server secret (HMAC-SHA256): IPs are stored only as keyed hashes (BLAKE2b)."""

    ip: bytes

    @classmethod
    def of(cls, settings: Settings) -> Keys:
        """Derive the keys (the secret itself is never used directly)."""
        secret = settings.ensure_secret_key().encode()
        return cls(hmac.new(secret, b"grassroots click ip v1", hashlib.sha256).digest())

    def ip_hash(self, ip: str) -> str:
        """A keyed hash of the IP address."""
        return hashlib.blake2b(ip.encode(), key=self.ip, digest_size=32).hexdigest()  # keyed BLAKE2b is a MAC

    def visitor(self, ip_hash: str, user_agent: str) -> str:
        """One visitor = one (IP, user agent) pair: unique visitors per link and hour count these."""
        return hashlib.blake2b(f"{ip_hash}\n{user_agent}".encode(), key=self.ip, digest_size=32).hexdigest()


_KEYS: dict[str, Keys] = {}


def keys_for(settings: Settings) -> Keys:
    """The derived keys of a settings object (cached per secret)."""
    secret = settings.ensure_secret_key()
    found = _KEYS.get(secret)
    if found is None:
        found = _KEYS[secret] = Keys.of(settings)
    return found


async def follow(engine: Engine, settings: Settings, slug: str, *, method: str, user_agent: str,
                 referer: str | None, ip: str) -> str | None:  # fmt: skip
    """Log one click and return where to send the visitor, or None for an unknown or archived slug."""
    target = await cache_for(engine).find(slug)
    if target is None:
        return None
    keys = keys_for(settings)
    click_id = secrets.token_urlsafe(16)  # 128 random bits, URL-safe, 22 characters
    ip_hash = keys.ip_hash(ip)
    user_agent = user_agent[:500]
    line = ClickLine(c=click_id, l=target.link_id, w=target.workspace_id, t=time.time(),
                     v=keys.visitor(ip_hash, user_agent), i=ip_hash, u=user_agent or None,
                     r=(referer or None) and referer[:1000], m=method, b=classify(method, user_agent))  # fmt: skip
    try:
        click_log(settings).append(line)
    except OSError:  # disk full or gone: still send the visitor on, but hand out no id that was not stored
        log.exception("click log: could not write a click for /r/%s", slug)
        return target.url(None)
    return target.url(click_id)


_FLUSHERS: dict[tuple[int, str], Flusher] = {}


def start(engine: Engine, settings: Settings) -> Flusher:
    """Start this process's click flusher (its first pass stores what a killed process left); ``.stop()`` it at
    exit. Idempotent: a second call for the same database and data directory returns the running one."""
    key = (id(engine), str(settings.data_dir))
    with _GUARD:
        running = _FLUSHERS.get(key)
        if running is not None and running.running:
            return running
        cache = cache_for_unlocked(engine)
        last = [time.monotonic()]

        def refresh_cache() -> None:
            if time.monotonic() - last[0] >= settings.link_cache_seconds:
                last[0] = time.monotonic()
                cache.refresh()

        flusher = _FLUSHERS[key] = Flusher(engine, settings, on_tick=refresh_cache).start()
        return flusher


FAST_HEADERS = [(b"cache-control", b"no-store, private"), (b"x-robots-tag", b"noindex"),
                (b"referrer-policy", b"unsafe-url"), (b"x-content-type-options", b"nosniff"),
                (b"content-length", b"0")]  # fmt: skip


class FastPath:
    """ASGI wrapper that answers ``GET``/``HEAD /r/<slug>`` before the app's middleware and routing.

    A redirect needs no session, no CSRF and no page: skipping that stack is what makes thousands of redirects a
    second possible on two cores (docs/performance.md). Unknown slugs and everything else go on to the app, whose
    ``/r/{slug}`` route answers the 404 page. Install it outermost: ``app.add_middleware(FastPath, engine=...,
    settings=...)`` after the other middleware.
    """

    def __init__(self, app: Any, engine: Engine, settings: Settings) -> None:
        self.app, self.engine, self.settings = app, engine, settings

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/r/") or scope["method"] not in ("GET", "HEAD") or "/" in path[3:] or len(path) < 4:
            await self.app(scope, receive, send)
            return
        agent, referer = "", None
        for name, value in scope["headers"]:
            if name == b"user-agent":
                agent = value.decode("latin-1")
            elif name == b"referer":
                referer = value.decode("latin-1")
        client = scope.get("client")
        url = await follow(self.engine, self.settings, path[3:], method=scope["method"], user_agent=agent,
                           referer=referer, ip=client[0] if client else "")  # fmt: skip
        if url is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"location", url.encode("latin-1")), *FAST_HEADERS]
        await send({"type": "http.response.start", "status": 302, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
