"""Brief and agreement versions and signatures.

A version is immutable: every save writes a new row with the next number, the structured fields (JSON) and the
exact text a creator reads (what a signature's hash covers). A signature belongs to exactly one agreement version;
the unique key on ``version_id`` makes a second signature of the same version impossible, even in a race.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, WorkspaceScoped, utcnow


class DocumentKind(enum.StrEnum):
    """What a version is a version of."""

    brief = "brief"
    agreement = "agreement"

    @property
    def label(self) -> str:
        """'brief' -> 'Brief'."""
        return self.value.capitalize()


class DocumentVersion(WorkspaceScoped, Base):
    """One saved version of a collaboration's brief or agreement (never updated after it is written)."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("collaboration_id", "kind", "number", name="uq_document_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"),
                                                  index=True)  # fmt: skip
    kind: Mapped[DocumentKind] = mapped_column(Enum(DocumentKind, native_enum=False, length=20))
    number: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))


class Signature(WorkspaceScoped, Base):
    """A creator's signature of one agreement version: who (the typed name), when, from where, what exactly.

    ``pdf`` is the signed copy (the version's text plus this record), kept in the database so a backup of the
    database is a backup of every signed agreement.
    """

    __tablename__ = "agreement_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(Integer, ForeignKey("collaboration.id", ondelete="CASCADE"),
                                                  index=True)  # fmt: skip
    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("document_version.id", ondelete="CASCADE"),
                                            unique=True)  # fmt: skip
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(500))
    text_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
