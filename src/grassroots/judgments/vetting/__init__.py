"""Vetting judgments: engagement, growth, comment authenticity, pods, sponsorship, fake accounts, spam
comments, and the credibility score built on them."""
