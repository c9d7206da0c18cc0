"""The journeys reuse the outreach tests' SMTP sink."""

from tests.outreach.conftest import sink  # noqa: F401  (a fixture, found by name)
