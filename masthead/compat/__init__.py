"""Wagtail internals Masthead changes, in one place.

Each module here replaces or wraps one piece of Wagtail that has no public extension
point for what Masthead needs; ``tests/test_upstream.py`` tests each upstream behaviour
these rely on, so an upgrade that changes one fails there first.
"""
