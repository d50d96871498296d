"""Content as code: the YAML schema, the loader that reports every error, and the sync."""
