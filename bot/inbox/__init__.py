"""The inbox: what Slack sent the bot, remembered so that a retried event is processed once."""
