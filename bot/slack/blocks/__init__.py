"""Block Kit builders: pure functions from domain values to dicts, within Slack's limits."""
