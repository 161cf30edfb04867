from django.urls import path

from compare import views

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
    path("healthz", views.healthz, name="healthz"),
]
