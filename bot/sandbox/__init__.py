"""The offline sandbox: a Slack Web API emulator, a request driver and a terminal front end."""
