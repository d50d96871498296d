"""The tick (materialise due work, then dispatch it) and the outbox dispatcher."""
