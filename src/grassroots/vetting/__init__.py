"""Pure judgments over frames: fake accounts, comment authenticity and the credibility signals built on them."""
