"""Comments: stored labels, what people say (panels, themes), brand fit, and `grassroots analyze comments`
(the judgments live in ``grassroots.judgments.language``)."""
