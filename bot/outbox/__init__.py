"""The outbox: every message the bot owes someone, materialised once, sent at most once, in the caller's
transaction (the transactional outbox pattern), and the dispatcher that sends what is due."""
