"""Clients for the services the pipeline talks to, built from the settings."""
