"""Evaluation: run the engines over labelled scenarios and count what was right."""
