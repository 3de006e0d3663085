import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.production")

from masthead.caching.fastpath import CachedPageApplication

# Fresh cached pages for anonymous readers skip Django's request handling (fastpath.py).
application = CachedPageApplication(get_wsgi_application())
