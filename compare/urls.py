from django.urls import path, register_converter

from compare import views
from compare.assessment.views import AssessmentWizard
from compare.catalogue import views as catalogue
from compare.reports import views as reports


class TokenConverter:
    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "compare"

# Pages in the visitor's language, under /en/ or /fr/ (see hvselect/urls.py).
urlpatterns = [
    path("", catalogue.HomeView.as_view(), name="home"),
    path("hypervisors/", catalogue.HypervisorListView.as_view(), name="hypervisor_list"),
    path(
        "hypervisors/<slug:slug>/",
        catalogue.HypervisorDetailView.as_view(),
        name="hypervisor_detail",
    ),
    path(
        "hypervisors/<slug:slug>/suggest/",
        catalogue.suggest_correction,
        name="suggest_correction",
    ),
    path("compare/", catalogue.compare, name="compare"),
    path("assess/", AssessmentWizard.as_view(), name="assess"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
]

# Links that must work whatever the language: a recommendation reads in its own language.
share_urlpatterns = (
    [
        path("<token:token>/", reports.RecommendationDetailView.as_view(), name="detail"),
        path("<token:token>.json", reports.recommendation_json, name="json"),
        path("<token:token>.pdf", reports.RecommendationPdfView.as_view(), name="pdf"),
        path("<token:token>.xlsx", reports.recommendation_xlsx, name="xlsx"),
        path("<token:token>.csv", reports.recommendation_csv, name="csv"),
        path("<token:token>/recompute/", reports.recommendation_recompute, name="recompute"),
        path("<token:token>/what-if/", reports.recommendation_what_if, name="what_if"),
        path(
            "<token:token>/what-if/save/",
            reports.recommendation_what_if_save,
            name="what_if_save",
        ),
    ],
    "share",
)
