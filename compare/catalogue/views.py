from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView

from compare.catalogue.comparison import build_comparison
from compare.catalogue.forms import CompareForm, CorrectionSuggestionForm, HypervisorFilterForm
from compare.catalogue.pages import rendered_once_per_catalogue
from compare.models import Criterion, Feature, Hypervisor, HypervisorType
from compare.ratelimit import limit_posts


@method_decorator(rendered_once_per_catalogue(), name="dispatch")
class HomeView(TemplateView):
    template_name = "compare/home.html"

    def get_context_data(self, **kwargs):
        counts = Hypervisor.objects.type_counts()
        return super().get_context_data(
            type1_count=counts.get(HypervisorType.BARE_METAL, 0),
            type2_count=counts.get(HypervisorType.HOSTED, 0),
            **kwargs,
        )


def filters(request):
    """The list's variant: its valid filters and order; a search by name is not kept."""
    form = HypervisorFilterForm(request.GET or None)
    if not form.is_bound:
        return ()
    if not form.is_valid() or form.cleaned_data["q"]:
        return None
    return tuple(sorted(form.cleaned_data.items()))


@method_decorator(rendered_once_per_catalogue(filters), name="dispatch")
class HypervisorListView(ListView):
    template_name = "compare/hypervisor_list.html"
    context_object_name = "hypervisors"

    def get_queryset(self):
        self.filter_form = HypervisorFilterForm(self.request.GET or None)
        self.filter_form.is_valid()
        return self.filter_form.filter(Hypervisor.objects.for_catalogue())

    def get_context_data(self, **kwargs):
        query = self.filter_form.cleaned_data.get("q") if self.filter_form.is_bound else ""
        return super().get_context_data(filter_form=self.filter_form, query=query, **kwargs)


def thanked(request, slug):
    """The product's variant: with the thanks for a suggestion, or without."""
    return (bool(request.GET.get("suggested")),)


@method_decorator(rendered_once_per_catalogue(thanked), name="dispatch")
class HypervisorDetailView(DetailView):
    template_name = "compare/hypervisor_detail.html"
    context_object_name = "hypervisor"

    def get_queryset(self):
        return Hypervisor.objects.with_ratings_and_support()

    def get_context_data(self, **kwargs):
        return super().get_context_data(comparison=build_comparison([self.object]), **kwargs)


def chosen(request):
    """The comparison's variant: the products in their order, and whether only the rows that
    differ; a choice with errors (which quote what was typed) is not kept."""
    form = CompareForm(request.GET or None)
    if not form.is_bound:
        return ()
    if not form.is_valid():
        return None
    return (tuple(h.slug for h in form.cleaned_data["h"]), form.cleaned_data["diff"])


@rendered_once_per_catalogue(chosen)
def compare(request):
    form = CompareForm(request.GET or None)
    comparison = None
    differences_only = False
    if form.is_valid():
        chosen = form.cleaned_data["h"]
        hypervisors = Hypervisor.objects.with_ratings_and_support().in_order_of(
            [hypervisor.slug for hypervisor in chosen]
        )
        comparison = build_comparison(hypervisors)
        differences_only = form.cleaned_data["diff"]
        if differences_only:
            comparison = comparison.differences_only()
    context = {"form": form, "comparison": comparison, "differences_only": differences_only}
    return render(request, "compare/compare.html", context)


@limit_posts("suggestions")
def suggest_correction(request, slug):
    """Anyone suggests a correction of one product's facts; an editor reviews it in the admin."""
    hypervisor = get_object_or_404(Hypervisor, slug=slug)
    form = CorrectionSuggestionForm(
        request.POST or None,
        hypervisor=hypervisor,
        criteria=Criterion.objects.all(),
        features=Feature.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(f"{hypervisor.get_absolute_url()}?suggested=1")
    return render(
        request,
        "compare/suggest_correction.html",
        {"hypervisor": hypervisor, "form": form},
        status=400 if form.is_bound else 200,
    )
