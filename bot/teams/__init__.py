"""Teams for reports, as content: who is in a team (a channel's or a user group's members, read from Slack
daily) and who leads it; who may read which report."""
