"""The mentions inbox: every post that tags or mentions the brand, with a replied/liked/shared status."""
