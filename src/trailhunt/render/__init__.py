"""Rendering detection SQL: the Jinja renderer, account context, hunt window, SQL literals."""
