"""learnbot: a Slack bot that puts learning into the flow of work."""

__version__ = "0.1.0"
