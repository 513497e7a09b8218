"""Tongxin API: the ASGI app, settings, auth and the command line."""
