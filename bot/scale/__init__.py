"""Running several replicas of each service: the scaled profile's settings and process plan, and
the cross-replica event bus (PostgreSQL LISTEN/NOTIFY) behind the console's live updates."""
