from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from compare import views
from compare.api.views import api
from compare.urls import share_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("r/", include(share_urlpatterns)),
    path("api/v1/", api.urls),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("benchmark/baseline/", views.benchmark_baseline, name="benchmark_baseline"),
    # /en/..., /fr/...: an address without a language goes to the browser's, English otherwise.
    *i18n_patterns(path("", include("compare.urls"))),
]

handler404 = "compare.errors.page_not_found"
handler500 = "compare.errors.server_error"
