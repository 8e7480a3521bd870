"""Self-service booking of specialist services and remote places in the live queue."""
