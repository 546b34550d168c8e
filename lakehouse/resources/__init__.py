"""Clients for the services the pipeline talks to, built from :class:`~lakehouse.config.Settings`."""
