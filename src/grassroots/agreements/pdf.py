"""A brief's or agreement's text as a PDF (reportlab, pure Python), with the signature record when signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

# A Unicode TrueType font, so names like "Zoë Łukasik" print as typed: DejaVu where the system has it, else the
# Vera font reportlab ships (Latin only).
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
)


@dataclass(frozen=True)
class SignatureRecord:
    """What the signed copy adds below the text."""

    name: str
    at: datetime
    ip: str
    user_agent: str
    sha256: str


@cache
def _font() -> str:
    path = next(p for p in FONTS if p.exists())
    pdfmetrics.registerFont(TTFont("Document", str(path)))
    return "Document"


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14, spaceAfter=2)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=19, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    return body, title, heading, small


def render(text: str, *, title: str, signature: SignatureRecord | None = None) -> bytes:
    """The PDF bytes of a document's text (first line as the title; UPPER CASE lines as headings)."""
    body, title_style, heading, small = _styles()
    story: list[object] = []
    for i, line in enumerate(text.splitlines()):
        style = title_style if i == 0 else heading if line.isupper() and line.strip() else body
        story.append(Paragraph(escape(line) or "&nbsp;", style) if line else Spacer(1, 4))
    if signature is not None:
        story += [Spacer(1, 12), Paragraph("SIGNED", heading)]
        story += [
            Paragraph(escape(text), small)
            for text in (
                f"Signed by: {signature.name} (typed name, consent given)",
                f"Signed at: {signature.at.strftime('%Y-%m-%d %H:%M:%S')} UTC",
                f"From IP address: {signature.ip}",
                f"Browser: {signature.user_agent}",
                f"SHA-256 of the text above: {signature.sha256}",
            )
        ]
    out = BytesIO()
    author = signature.name if signature else ""
    doc = SimpleDocTemplate(out, pagesize=A4, title=title, author=author, subject=title,
                            leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm)  # fmt: skip
    doc.build(story)
    return out.getvalue()
