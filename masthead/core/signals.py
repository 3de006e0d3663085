"""Signals shared by the apps; ``core`` sends none itself and knows no app.

``pages_published_in_bulk`` stands in for thousands of ``page_published`` signals
when pages are written in bulk (``masthead.core.bulk.insert_pages``): receivers
update what they derive from published pages once, for the whole lot. Arguments:
``sender`` (the page model), ``page_ids`` (the pages now live, in any order, some
possibly already known to the receiver) and ``progress`` (a
``masthead.core.progress.ProgressBar`` or ``None``) for long work.
"""

from django.dispatch import Signal

pages_published_in_bulk = Signal()
