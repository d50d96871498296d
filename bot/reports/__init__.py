"""Reports for admins and team leads: figures from every domain, small groups suppressed."""
