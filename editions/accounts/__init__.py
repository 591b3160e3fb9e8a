"""People: users and their roles per edition, signed-in sessions, API tokens."""
