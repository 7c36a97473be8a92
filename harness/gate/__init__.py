"""The regression gate: the rules at a git ref against the rules now, on the same scenarios."""
