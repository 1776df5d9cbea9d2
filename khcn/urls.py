from django.urls import include, path
from django.views.i18n import set_language

from khcn.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("khcn.accounts.urls")),
    path("", include("khcn.audit.urls")),
    path("", include("khcn.core.urls")),
    path("", include("khcn.councils.urls")),
    path("", include("khcn.documents.urls")),
    path("", include("khcn.notifications.urls")),
    path("", include("khcn.workflow.urls")),
    path("", include("khcn.projects.urls")),
    path("", include("khcn.search.urls")),
    path("", include("khcn.registry.urls")),
    path("", include("khcn.procedures.urls")),
    path("", include("khcn.web.urls")),
]

handler403 = "khcn.web.views.error_403"
handler404 = "khcn.web.views.error_404"
handler500 = "khcn.web.views.error_500"
