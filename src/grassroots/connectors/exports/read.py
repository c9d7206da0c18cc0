"""Streaming readers for export files: JSON arrays, JSON lines and CSV, one item at a time with its line number.

A scraper export of a million rows must not be loaded whole: JSON is decoded item by item from a sliding
buffer (``json.JSONDecoder.raw_decode``), CSV row by row. Apify's CSV export flattens nested fields into
``authorMeta/name`` or ``latestPosts/0/likesCount`` headers; :func:`unflatten` turns such a row back into the
nested shape of the JSON export so one mapper serves both.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

CHUNK = 1 << 20
# A single item larger than this is not a scraper row: stop instead of buffering the rest of the file.
MAX_ITEM_CHARS = 64 << 20
_WS = " \t\r\n"


@dataclass
class Item:
    """One item of an export: its first line in the file and its content (None when it could not be read)."""

    line: int
    data: Any
    error: str | None = None


class _Buffer:
    """A window over a text stream that tracks the line number of its start."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.text = stream.read(CHUNK).lstrip("\ufeff")
        self.pos = 0
        self.line = 1
        self.eof = not self.text

    def more(self) -> bool:
        """Read another chunk (dropping what was consumed); False at the end of the stream."""
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        self.eof = not chunk
        return bool(chunk)

    def advance(self, end: int) -> None:
        """Consume up to ``end``, counting the newlines passed."""
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def skip(self, chars: str) -> str:
        """Skip any of ``chars``; return the next character ('' at the end)."""
        while True:
            end = self.pos
            while end < len(self.text) and self.text[end] in chars:
                end += 1
            self.advance(end)
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""


def iter_json(stream: IO[str]) -> Iterator[Item]:
    """Items of a JSON export: a top-level array, JSON lines, or a single object."""
    buf = _Buffer(stream)
    decoder = json.JSONDecoder()
    in_array = buf.skip(_WS) == "["
    if in_array:
        buf.advance(buf.pos + 1)
    separators = _WS + ("," if in_array else "")
    while True:
        head = buf.skip(separators)
        if head == "" or (in_array and head == "]"):
            if in_array and head == "":
                yield Item(buf.line, None, "the JSON array is not closed (truncated file?)")
            return
        while True:
            try:
                data, end = decoder.raw_decode(buf.text, buf.pos)
            except json.JSONDecodeError as exc:
                if len(buf.text) - buf.pos < MAX_ITEM_CHARS and buf.more():
                    continue
                at = buf.line + exc.doc.count("\n", buf.pos, exc.pos)
                yield Item(
                    buf.line, None, f"invalid JSON in the item starting here: {exc.msg} (line {at}); rest not read"
                )
                return
            # A number or literal cut at the buffer's edge decodes "successfully": read on and decode again.
            if end == len(buf.text) and not buf.eof and buf.more():
                continue
            break
        line = buf.line
        buf.advance(end)
        yield Item(line, data)


def csv_header(stream: IO[str]) -> tuple[csv.DictReader[str], list[str]]:
    """A CSV reader positioned after the header, and the header names as written."""
    reader = csv.DictReader(stream)
    return reader, [h.strip() for h in (reader.fieldnames or [])]


def iter_csv(reader: csv.DictReader[str]) -> Iterator[Item]:
    """Rows of a CSV export as dicts (header → value) with their line numbers (the header is line 1)."""
    for raw in reader:
        if None in raw:
            yield Item(reader.line_num, None, "more values than columns (check quoting)")
            continue
        yield Item(reader.line_num, raw)


def unflatten(row: dict[str, str]) -> dict[str, Any]:
    """Apify CSV row → nested dict: ``a/b`` keys become objects, numeric parts become list positions."""
    root: dict[Any, Any] = {}
    for key, value in row.items():
        if value is None or value == "":
            continue
        parts: list[Any] = [int(p) if p.isdigit() else p for p in key.strip().split("/")]
        node: Any = root
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    """Dicts whose keys are all ints become lists in index order (built as dicts so gaps are harmless)."""
    if isinstance(node, dict):
        converted = {k: _lists(v) for k, v in node.items()}
        if converted and all(isinstance(k, int) for k in converted):
            return [converted[k] for k in sorted(converted)]
        return converted
    return node
