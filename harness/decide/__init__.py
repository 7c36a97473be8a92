"""The engines: pure functions from a ticket and a RuleSet to a decision and findings."""
