"""The only place SQL lives. Functions take a Session; they never commit and never call Slack."""
