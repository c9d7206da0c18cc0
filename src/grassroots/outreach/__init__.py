"""Outreach: reliable email (queued, capped, opt-outs honoured), later drafts, portal, gifting and approvals."""
