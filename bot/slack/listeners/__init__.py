"""One module per surface. Each listener acks, parses, calls one service and renders."""
