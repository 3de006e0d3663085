import os

from django.core.wsgi import get_wsgi_application

from masthead.core.file_modes import use_private_umask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.production")
# Servers started without `masthead serve` (gunicorn masthead.wsgi) write private files too.
use_private_umask()

from masthead.caching.fastpath import CachedPageApplication  # noqa: E402

# Fresh cached pages for anonymous readers skip Django's request handling (fastpath.py).
application = CachedPageApplication(get_wsgi_application())
