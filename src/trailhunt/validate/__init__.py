"""Checking detections: the validator, column checks, and fixture tests."""
