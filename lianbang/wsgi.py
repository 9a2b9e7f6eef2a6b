import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianbang.settings")
application = get_wsgi_application()

# Import the URLconf (every API router and its schemas) now, while the server boots a worker,
# rather than in the first request it serves: that request took seconds, not milliseconds.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
