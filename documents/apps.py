from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from . import events, timeline

        events.register()
        timeline.register()

        from cases.demo import DEMO_EXTENSIONS
        from config.api.parsers import body_limit_register

        from .demo import demo_attachments
        from .uploads import upload_body_max_bytes

        if demo_attachments not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(demo_attachments)
        # Uploads and new versions may carry a file up to the attachment limit.
        body_limit_register(r"^/api/v1/attachments/(?:[0-9]+/versions/)?$", upload_body_max_bytes)
