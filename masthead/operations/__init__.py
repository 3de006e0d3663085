"""Running a newsroom's site: the scheduler and its daily upkeep, backup and restore,
bulk writing of pages, and the publishing gate. Builds on the content model; no app
imports it except through Wagtail hooks and management commands."""
