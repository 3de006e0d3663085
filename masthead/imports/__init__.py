"""Move a newsroom in: WordPress exports (WXR) and partner RSS/Atom feeds become stories."""
