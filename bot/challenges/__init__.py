"""The challenge engine: on-the-job challenges proposed with consent, lived in a Slack thread."""
