"""Language: judgments over comments and captions (sentiment, intent, questions, disclosure, themes)."""
