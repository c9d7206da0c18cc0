"""Vetting: dated credibility reports over the store, the vetting page, its API and `grassroots vet`
(the maths lives in ``grassroots.judgments.vetting``)."""
