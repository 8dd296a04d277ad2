"""The API's interactive documentation (Swagger UI) under the product's strict policy.

drf-spectacular's split view serves the page and its start-up script as two responses, so the
page needs no inline script. Our page adds what Swagger UI lacks for WCAG 2.1 AA: the page's
language, a heading, contrast fixes (static/css/api-docs.css) and the repair of its nested
controls (static/js/api-docs.js). No policy is relaxed for it.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "Samverkan API"
