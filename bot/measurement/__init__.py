"""Measurement: every rating of a skill (self, proposer, peer; baseline, after, retrospective…), one table."""
