"""Masthead: a news publishing platform for small independent newsrooms."""

__version__ = "0.1.0"
