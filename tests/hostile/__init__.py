"""Adversarial tests: the SDK against a server that answers anything (see _server)."""
