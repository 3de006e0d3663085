"""Settings for `masthead demo`: the embedded default, served by a production server."""

from .base import *  # noqa: F403
