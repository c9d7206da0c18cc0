"""Use cases for workspaces, users and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.errors import Conflict, InvalidInput, NotFound
from grassroots.workspaces import throttle
from grassroots.workspaces.models import ApiToken, Role, User, Workspace

_hasher = PasswordHasher()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "gr_"
MIN_PASSWORD = 12
MAX_TOKEN_DAYS = 3650


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lowercase)."""
    text = resources.files("grassroots.workspaces").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def password_problem(password: str, email: str) -> str | None:
    """Why a new password is refused (ASVS 2.1: length, common passwords, the email), or None when it is fine."""
    folded = password.strip().lower()
    email = email.strip().lower()
    if len(password) < MIN_PASSWORD:
        return f"must be at least {MIN_PASSWORD} characters"
    if len(set(password)) == 1:
        return "must not be one character repeated"
    if folded in {email, email.split("@", 1)[0]}:
        return "must not be your email address or its name part"
    if folded in common_passwords():
        return "is one of the most common passwords; a few unrelated words make a strong one"
    return None


def get_or_create_workspace(session: Session, name: str, *, synthetic: bool = False) -> Workspace:
    """The workspace with this name, created if missing."""
    workspace = session.scalar(select(Workspace).where(Workspace.name == name))
    if workspace is None:
        workspace = Workspace(name=name, is_synthetic=synthetic)
        session.add(workspace)
        session.flush()
    return workspace


def create_user(session: Session, workspace: Workspace, email: str, password: str, role: Role) -> User:
    """Add a user to a workspace after checking the email and password."""
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not _EMAIL.match(email):
        errors["email"] = "not a valid email address"
    if problem := password_problem(password, email):
        errors["password"] = problem
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    if session.scalar(select(User).where(User.email == email)):
        raise Conflict(f"a user with email {email} already exists")
    user = User(workspace_id=workspace.id, email=email, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the email and password match, else None."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        hash_password(password)  # spend the same time whether or not the user exists
        return None
    if not verify_password(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


def sign_in(session: Session, email: str, password: str, client_ip: str | None) -> User | None:
    """Authenticate with throttling: TooManyAttempts while blocked, failures counted, the account's reset on success."""
    throttle.check(session, email, client_ip)
    user = authenticate(session, email, password)
    if user is None:
        known = session.scalar(select(User.workspace_id).where(User.email == email.strip().lower()))
        throttle.record_failure(session, email, client_ip, known)
        return None
    throttle.reset_account(session, email)
    return user


def end_sessions(session: Session, user: User) -> int:
    """Invalidate every session cookie of the user; returns the new session version."""
    user.session_version = (user.session_version or 0) + 1
    session.flush()
    return user.session_version


def change_password(session: Session, user: User, current: str, new: str, client_ip: str | None) -> int:
    """Replace the user's password after checking the current one; ends every other session (new version)."""
    throttle.check(session, user.email, client_ip)
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        throttle.record_failure(session, user.email, client_ip, user.workspace_id)
        errors["current"] = "is wrong"
    elif problem := password_problem(new, user.email):
        errors["new"] = problem
    if errors:
        raise InvalidInput("The password was not changed.", errors)
    user.password_hash = hash_password(new)
    return end_sessions(session, user)


def get_user(session: Session, user_id: int) -> User | None:
    """A user by id."""
    return session.get(User, user_id)


def find_user(session: Session, email: str) -> User:
    """A user by email, or NotFound."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user with email {email}")
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create an API token (valid until revoked, or for some days); the plain token is returned once, never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("token name must be 1–100 characters", {"name": "1–100 characters"})
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        detail = f"1–{MAX_TOKEN_DAYS} days"
        raise InvalidInput(f"a token's lifetime must be {detail}", {"expires_in_days": detail})
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days is not None else None
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        workspace_id=user.workspace_id,
        user_id=user.id,
        name=name,
        token_hash=_digest(plain),
        prefix=plain[:10],
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return token, plain


def user_for_token(session: Session, plain: str) -> User | None:
    """The user a bearer token belongs to, if the token is valid, not revoked and not expired."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if token is None or token.revoked or (token.expires_at is not None and token.expires_at <= utcnow()):
        return None
    token.last_used_at = utcnow()
    return token.user


def list_tokens(session: Session, workspace_id: int) -> list[ApiToken]:
    """The workspace's tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.workspace_id == workspace_id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def revoke_token(session: Session, workspace_id: int, token_id: int) -> None:
    """Revoke a token of this workspace."""
    token = session.get(ApiToken, token_id)
    if token is None or token.workspace_id != workspace_id:
        raise NotFound("no such token")
    token.revoked = True


HANDLE = re.compile(r"[a-z0-9._]{1,100}")  # a social handle without "@"


def update_brand_profile(
    session: Session, workspace_id: int, *, niche: str, values: str, tone: str, banned: list[str], handles: str = ""
) -> Workspace:
    """Save the brand profile that brand fit compares creators with; InvalidInput lists every bad field."""
    from grassroots.judgments.language.fit import CATEGORIES

    errors: dict[str, str] = {}
    niche, values, tone = niche.strip(), values.strip(), tone.strip()
    if not niche:
        errors["niche"] = "Say what the brand sells or stands for, e.g. 'vegan skincare for sensitive skin'."
    elif len(niche) > 200:
        errors["niche"] = "At most 200 characters."
    if len(values) > 2000:
        errors["values"] = "At most 2,000 characters."
    if len(tone) > 200:
        errors["tone"] = "At most 200 characters."
    unknown = sorted(set(banned) - set(CATEGORIES))
    if unknown:
        errors["banned"] = f"Unknown categories: {', '.join(unknown)}."
    own = list(dict.fromkeys(h.lstrip("@").lower() for h in handles.replace(",", " ").split() if h.lstrip("@")))
    if bad := [h for h in own if not HANDLE.fullmatch(h)]:
        errors["handles"] = f"Not a handle: {bad[0]} (letters, digits, dots and underscores, at most 100)."
    elif len(own) > 10:
        errors["handles"] = "At most 10 handles."
    if errors:
        raise InvalidInput("The brand profile has errors.", errors)
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"workspace {workspace_id} not found")
    workspace.niche, workspace.values, workspace.tone = niche, values or None, tone or None
    workspace.banned_categories = [c for c in CATEGORIES if c in banned]
    workspace.brand_handles = own or None
    session.flush()
    return workspace


def brand_profile(session: Session, workspace_id: int) -> dict[str, object]:
    """The workspace's brand profile as the settings form shows it."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"workspace {workspace_id} not found")
    return {
        "niche": workspace.niche or "",
        "values": workspace.values or "",
        "tone": workspace.tone or "",
        "banned": workspace.banned_categories or [],
        "handles": " ".join(f"@{h}" for h in workspace.brand_handles or []),
    }
