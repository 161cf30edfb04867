from django.urls import path, register_converter

from compare import views


class TokenConverter:
    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "compare"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("hypervisors/", views.HypervisorListView.as_view(), name="hypervisor_list"),
    path(
        "hypervisors/<slug:slug>/",
        views.HypervisorDetailView.as_view(),
        name="hypervisor_detail",
    ),
    path("compare/", views.compare, name="compare"),
    path("assess/", views.AssessmentWizard.as_view(), name="assess"),
    path(
        "r/<token:token>/", views.RecommendationDetailView.as_view(), name="recommendation_detail"
    ),
    path("r/<token:token>.json", views.recommendation_json, name="recommendation_json"),
    path(
        "r/<token:token>/recompute/",
        views.recommendation_recompute,
        name="recommendation_recompute",
    ),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("healthz", views.healthz, name="healthz"),
    path("benchmark/baseline/", views.benchmark_baseline, name="benchmark_baseline"),
]
