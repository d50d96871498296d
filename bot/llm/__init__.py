"""The LLM adapter: prompts as files, an OpenAI-compatible writer, and a template fallback for every prompt."""
