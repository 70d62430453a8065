"""Deployment tests: the app behind nginx (deploy/)."""
