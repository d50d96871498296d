"""The micro-resource library: search, the personal menu, opening, feedback, tailoring, unmet needs,
the person's profile choices, and the "did it help?" follow-up two days after an open."""
