"""Loading: untrusted YAML and JSON Lines into typed, located objects."""
