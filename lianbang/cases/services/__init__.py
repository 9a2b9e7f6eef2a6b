"""Writes of the assistance chain: each public service is one transaction (``<entity>_<action>``)."""
