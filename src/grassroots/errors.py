"""Domain errors: services raise these; the web maps them to problems or forms, the CLI to messages."""

from __future__ import annotations

from dataclasses import dataclass, field


class GrassrootsError(Exception):
    """Base of every error a user may see; ``status`` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(GrassrootsError):
    """The thing does not exist in this workspace."""

    status = 404
    title = "Not found"


class Conflict(GrassrootsError):
    """The change clashes with what exists (a duplicate handle, say)."""

    status = 409
    title = "Conflict"


class Forbidden(GrassrootsError):
    """The user's role does not allow this."""

    status = 403
    title = "Forbidden"


class InvalidInput(GrassrootsError):
    """Input failed validation; ``errors`` maps field names to messages."""

    status = 422
    title = "Invalid input"

    def __init__(self, detail: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or {}


@dataclass
class RowError:
    """One rejected line of an import file."""

    line: int
    reason: str


@dataclass
class ImportRejected(GrassrootsError):
    """A whole import was rejected; every bad line is listed and nothing was written."""

    rows: list[RowError] = field(default_factory=list)
    message: str = "import rejected"

    status = 422
    title = "Import rejected"

    def __post_init__(self) -> None:
        GrassrootsError.__init__(self, f"{self.message}: {len(self.rows)} bad line(s), nothing imported")
