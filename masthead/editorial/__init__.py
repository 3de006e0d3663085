"""Editorial QA: spelling, names, titles, mechanics and completeness checks on a story."""
