"""People: workspaces and the people in them, who they are (title, zone), their choices, their data."""
