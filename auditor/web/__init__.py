"""`crm-audit serve`: a local web page to upload exports, watch the audit run and read the scorecard.

app.py (Starlette app, settings), routes.py (the API and the page), uploads.py (streamed multipart),
archives.py (.zip unpacking with limits), names.py (client file names), store.py (audits on disk),
jobs.py (queue, one worker process per audit), worker.py (runs the product's pipeline),
security.py (Host / Origin / token guards, headers), i18n.py (ru/en words).
"""
from .app import Settings, create_app, serve

__all__ = ["Settings", "create_app", "serve"]
