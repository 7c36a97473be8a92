"""Matching: normalized ticket text, compiled RE2 patterns, and the condition tree."""
