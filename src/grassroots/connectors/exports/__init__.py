"""Files from other tools: Apify-style Instagram/TikTok exports and other tools' creator lists (`grassroots import`)."""
