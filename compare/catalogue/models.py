"""The hypervisor catalogue: products, the criteria they are rated on, and their features.

Every fact carries its sources and the date it was last checked; a fact not checked for
over twelve months is *stale* and shown as such. Translated texts (summary, justification,
notes...) are registered in `translation.py`, which also puts the models under audit history.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compare.fields import ChoiceArrayField

MAX_POINTS = 5
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
CHOICE_KEY_PATTERN = r"^[a-z0-9][a-z0-9_]*$"  # answers such as "24x7"


def months_ago(months: int, today: datetime.date | None = None) -> datetime.date:
    """The same day `months` months before, or that month's last day (31 March minus one month
    is 28 or 29 February)."""
    today = today or timezone.localdate()
    year, month_index = divmod(today.year * 12 + today.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return datetime.date(year, month_index + 1, min(today.day, last_day))


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Facts verified before this date (twelve months ago) are stale."""
    return months_ago(12, today)


class HypervisorType(models.IntegerChoices):
    BARE_METAL = 1, _("Type 1 (bare metal)")
    HOSTED = 2, _("Type 2 (hosted)")


class HostPlatform(models.TextChoices):
    BARE_METAL = "bare_metal", _("Bare metal")
    WINDOWS = "windows", _("Windows")
    MACOS = "macos", _("macOS")
    LINUX = "linux", _("Linux")


class GuestFamily(models.TextChoices):
    WINDOWS = "windows", _("Windows")
    LINUX = "linux", _("Linux")
    BSD = "bsd", _("BSD")
    MACOS = "macos", _("macOS")
    OTHER = "other", _("Other systems")


class LicenceModel(models.TextChoices):
    OPEN_SOURCE = "open_source", _("Open source")
    COMMERCIAL = "commercial", _("Commercial")


class FreeEdition(models.TextChoices):
    NONE = "none", _("No free edition")
    NON_PRODUCTION = "non_production", _("Free for non-production use")
    PRODUCTION = "production", _("Free, production use allowed")
    # A free edition whose licence says nothing we could read about production use: it is
    # never taken as allowing it.
    TERMS_UNVERIFIED = "terms_unverified", _("Free, production terms not verified")


class AdminSkill(models.TextChoices):
    WINDOWS = "windows", _("Windows")
    LINUX = "linux", _("Linux")
    VMWARE = "vmware", _("VMware")


class IncludedWith(models.TextChoices):
    NOTHING = "", _("Nothing")
    WINDOWS_SERVER = "windows_server", _("Windows Server")


class Platform(models.TextChoices):
    """The platform families a company may run today (and stay on, or leave)."""

    NONE = "", _("None of these")
    VMWARE = "vmware", _("VMware")
    HYPER_V = "hyper_v", _("Microsoft Hyper-V")
    XENSERVER = "xenserver", _("XenServer")
    PROXMOX = "proxmox", _("Proxmox")
    NUTANIX = "nutanix", _("Nutanix")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DECLINING = "declining", _("Declining")
    DISCONTINUED = "discontinued", _("Discontinued")


class SupportLevel(models.TextChoices):
    FULL = "full", _("Built in")
    PAID = "paid", _("Paid edition or add-on")
    PARTIAL = "partial", _("Partly")
    NONE = "none", _("Not available")
    UNKNOWN = "unknown", _("Not verified")


class Confidence(models.TextChoices):
    SURE = "sure", _("Sure")
    LIKELY = "likely", _("Likely")
    UNSURE = "unsure", _("Unconfirmed")


def in_choices(field: str, choices: type[models.Choices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def key_constraints(model: str, taken: str) -> list[models.BaseConstraint]:
    """A stable key: unique, and lower-case letters, digits and underscores."""
    return [
        models.UniqueConstraint(
            fields=["key"], name=f"{model}_key_unique", violation_error_message=taken
        ),
        models.CheckConstraint(
            condition=Q(key__regex=KEY_PATTERN),
            name=f"{model}_key_format",
            violation_error_message=_(
                "The key must be lower-case letters, digits and underscores."
            ),
        ),
    ]


class SourceKind(models.TextChoices):
    VENDOR_DOCUMENTATION = "vendor_documentation", _("Vendor documentation")
    VENDOR_PRICING = "vendor_pricing", _("Vendor pricing")
    VENDOR_ANNOUNCEMENT = "vendor_announcement", _("Vendor announcement")
    INDEPENDENT_REVIEW = "independent_review", _("Independent review")
    ANALYST = "analyst", _("Analyst")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


VENDOR_KINDS = [
    SourceKind.VENDOR_DOCUMENTATION,
    SourceKind.VENDOR_PRICING,
    SourceKind.VENDOR_ANNOUNCEMENT,
]


class SourceQuerySet(models.QuerySet):
    def vendor(self):
        return self.filter(kind__in=VENDOR_KINDS)

    def cited(self):
        return self.filter(
            Q(hypervisors__isnull=False)
            | Q(ratings__isnull=False)
            | Q(supports__isnull=False)
            | Q(offers__isnull=False)
        ).distinct()


class Source(models.Model):
    """A page or document that facts rest on, shared by every fact it backs."""

    url = models.URLField(_("URL"), max_length=500)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=SourceKind.choices)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    read_on = models.DateField(_("read on"), help_text=_("When an editor last read it."))

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                name="source_url_unique",
                violation_error_message=_("This URL is already a source."),
            ),
            models.CheckConstraint(
                condition=in_choices("kind", SourceKind), name="source_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.publisher}"

    def clean(self):
        from compare.catalogue.sources import refusal

        errors = {}
        if self.url and (reason := refusal(self.url, self.kind)):
            errors["url"] = reason
        if self.read_on and self.read_on > timezone.localdate():
            errors["read_on"] = _("A source cannot be read in the future.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_vendor(self) -> bool:
        return self.kind in VENDOR_KINDS

    @property
    def is_cited(self) -> bool:
        return Source.objects.cited().filter(pk=self.pk).exists()


class RefusedDomain(models.Model):
    """A host whose pages are never a source, on top of the list in catalogue/sources.py."""

    domain = models.CharField(
        _("domain"), max_length=200, help_text=_("e.g. example.com: its subdomains too.")
    )
    reason = models.CharField(_("why"), max_length=200)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("refused domain")
        verbose_name_plural = _("refused domains")
        constraints = [
            models.UniqueConstraint(
                fields=["domain"],
                name="refused_domain_unique",
                violation_error_message=_("This domain is already refused."),
            ),
        ]

    def __str__(self):
        return self.domain


class VerifiedFact(models.Model):
    """A fact with the date an editor last checked it against its sources."""

    verified_on = models.DateField(
        _("verified on"), help_text=_("When the sources were last checked.")
    )

    class Meta:
        abstract = True

    def clean(self):
        # Not a database constraint: PostgreSQL checks may not depend on today's date.
        if self.verified_on and self.verified_on > timezone.localdate():
            raise ValidationError(
                {"verified_on": _("A fact cannot be verified in the future.")}, code="future"
            )

    @property
    def is_stale(self) -> bool:
        return self.verified_on < stale_cutoff()


class VerifiedFactQuerySet(models.QuerySet):
    def checked_before(self, day: datetime.date):
        return self.filter(verified_on__lt=day)

    def stale(self):
        return self.checked_before(stale_cutoff())

    def fresh(self):
        return self.filter(verified_on__gte=stale_cutoff())


class Unaccented(models.Func):
    """The text without its accents ("Société" reads "Societe"): decomposed (NFD), then
    without its combining marks. Built-in functions only: PostgreSQL's unaccent extension
    is not on every server (the embedded one has none)."""

    template = r"regexp_replace(normalize(%(expressions)s, NFD), '[\u0300-\u036f]', '', 'g')"
    output_field = models.TextField()


class HypervisorQuerySet(models.QuerySet):
    def search(self, text: str):
        """Products whose name or vendor contains the text, case and accents aside."""
        wanted = Unaccented(models.Value(text))
        return self.alias(plain_name=Unaccented("name"), plain_vendor=Unaccented("vendor")).filter(
            Q(plain_name__icontains=wanted) | Q(plain_vendor__icontains=wanted)
        )

    def with_stale_facts(self):
        """Annotate `has_stale_facts`: the product, a rating or a support cell is stale."""
        return self.annotate(
            has_stale_facts=Q(verified_on__lt=stale_cutoff())
            | Exists(Rating.objects.stale().filter(hypervisor=OuterRef("pk")))
            | Exists(Support.objects.stale().filter(hypervisor=OuterRef("pk")))
        )

    def stale(self):
        return self.with_stale_facts().filter(has_stale_facts=True)

    def fresh(self):
        return self.with_stale_facts().filter(has_stale_facts=False)

    def with_feature(self, feature_key: str, levels):
        return self.filter(
            Exists(
                Support.objects.filter(
                    hypervisor=OuterRef("pk"), feature__key=feature_key, level__in=levels
                )
            )
        )

    def without_feature(self, feature_key: str, levels):
        return self.exclude(
            Exists(
                Support.objects.filter(
                    hypervisor=OuterRef("pk"), feature__key=feature_key, level__in=levels
                )
            )
        )

    def type_counts(self) -> dict[int, int]:
        rows = self.values_list("hypervisor_type").annotate(count=models.Count("pk")).order_by()
        return dict(rows)

    def for_catalogue(self):
        """The list page's cards: each product with its containers support cell."""
        return self.with_stale_facts().prefetch_related(
            models.Prefetch(
                "supports",
                queryset=Support.objects.filter(feature__key="containers"),
                to_attr="container_supports",
            )
        )

    def with_offers(self):
        """Each product's offers in their order, with the features they unlock and their
        sources."""
        return self.prefetch_related(
            models.Prefetch(
                "offers",
                queryset=Offer.objects.prefetch_related("unlocks", "references").order_by(
                    "position", "name"
                ),
            )
        )

    def in_order_of(self, slugs: list[str]) -> list["Hypervisor"]:
        position = {slug: index for index, slug in enumerate(slugs)}
        return sorted(self.filter(slug__in=slugs), key=lambda h: position[h.slug])

    def with_ratings_and_support(self):
        """Everything a detail or comparison page shows, in a fixed number of queries."""
        return self.prefetch_related(
            "references",
            models.Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("criterion")
                .prefetch_related("references")
                .order_by("criterion__position", "criterion__key"),
            ),
            models.Prefetch(
                "supports",
                queryset=Support.objects.select_related("feature", "feature__criterion")
                .prefetch_related("references")
                .order_by("feature__criterion__position", "feature__position", "feature__key"),
            ),
        )


class Hypervisor(VerifiedFact):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=60, help_text=_("Lower-case words joined by hyphens: used in URLs.")
    )
    vendor = models.CharField(_("vendor"), max_length=150)
    hypervisor_type = models.PositiveSmallIntegerField(_("type"), choices=HypervisorType.choices)
    technology = models.CharField(_("technology"), max_length=200)
    host_platforms = ChoiceArrayField(
        models.CharField(max_length=20, choices=HostPlatform.choices),
        verbose_name=_("host platforms"),
        help_text=_("Where it installs: directly on the hardware, or on an existing system."),
    )
    guest_os_families = ChoiceArrayField(
        models.CharField(max_length=20, choices=GuestFamily.choices),
        verbose_name=_("guest systems"),
    )
    licence_model = models.CharField(
        _("licence model"), max_length=20, choices=LicenceModel.choices
    )
    licence_name = models.CharField(_("licence name"), max_length=100, blank=True)
    free_edition = models.CharField(_("free edition"), max_length=20, choices=FreeEdition.choices)
    admin_skills = ChoiceArrayField(
        models.CharField(max_length=20, choices=AdminSkill.choices),
        verbose_name=_("administration skills"),
        help_text=_("The skills needed to run it day to day."),
    )
    included_with = models.CharField(
        _("included with"), max_length=20, choices=IncludedWith.choices, blank=True
    )
    platform = models.CharField(
        _("platform family"),
        max_length=20,
        choices=Platform.choices,
        blank=True,
        help_text=_("The platform a company leaving it would leave this product with."),
    )
    pricing_note = models.TextField(_("pricing note"), blank=True)
    pricing_as_of = models.DateField(_("price as of"), null=True, blank=True)
    latest_version = models.CharField(_("latest version"), max_length=50, blank=True)
    latest_release_date = models.DateField(_("latest release date"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    summary = models.TextField(_("summary"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    references = models.ManyToManyField(
        Source, related_name="hypervisors", verbose_name=_("sources")
    )

    objects = HypervisorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("hypervisor")
        verbose_name_plural = _("hypervisors")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="hypervisor_slug_unique",
                violation_error_message=_("Another hypervisor already uses this slug."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                name="hypervisor_name_unique",
                violation_error_message=_("Another hypervisor already has this name."),
            ),
            models.CheckConstraint(
                condition=Q(slug__regex=SLUG_PATTERN),
                name="hypervisor_slug_format",
                violation_error_message=_(
                    "The slug must be lower-case letters and digits joined by single hyphens."
                ),
            ),
            models.CheckConstraint(
                condition=in_choices("hypervisor_type", HypervisorType),
                name="hypervisor_type_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("licence_model", LicenceModel),
                name="hypervisor_licence_model_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("free_edition", FreeEdition),
                name="hypervisor_free_edition_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("status", Status), name="hypervisor_status_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("included_with", IncludedWith),
                name="hypervisor_included_with_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("platform", Platform), name="hypervisor_platform_valid"
            ),
            models.CheckConstraint(
                condition=Q(host_platforms__len__gt=0)
                & Q(host_platforms__contained_by=HostPlatform.values),
                name="hypervisor_host_platforms_valid",
                violation_error_message=_("Choose at least one host platform."),
            ),
            models.CheckConstraint(
                condition=Q(guest_os_families__len__gt=0)
                & Q(guest_os_families__contained_by=GuestFamily.values),
                name="hypervisor_guest_os_families_valid",
                violation_error_message=_("Choose at least one guest system."),
            ),
            models.CheckConstraint(
                condition=Q(admin_skills__contained_by=AdminSkill.values),
                name="hypervisor_admin_skills_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("compare:hypervisor_detail", kwargs={"slug": self.slug})

    @property
    def is_open_source(self) -> bool:
        return self.licence_model == LicenceModel.OPEN_SOURCE

    @property
    def has_free_edition(self) -> bool:
        return self.free_edition != FreeEdition.NONE

    def get_host_platforms_display(self) -> list[str]:
        return [HostPlatform(value).label for value in self.host_platforms]

    def get_guest_os_families_display(self) -> list[str]:
        return [GuestFamily(value).label for value in self.guest_os_families]

    def get_admin_skills_display(self) -> list[str]:
        return [AdminSkill(value).label for value in self.admin_skills]

    @property
    def container_support(self) -> "Support | None":
        """Set by `for_catalogue()`."""
        return self.container_supports[0] if self.container_supports else None


class Criterion(models.Model):
    key = models.CharField(_("key"), max_length=40, help_text=_("Stable identifier."))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"))
    default_weight = models.PositiveSmallIntegerField(
        _("default weight"),
        validators=[MaxValueValidator(5)],
        help_text=_("0 (ignored) to 5 (decisive)."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order on the pages: the report's order first.")
    )

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            *key_constraints("criterion", _("Another criterion already uses this key.")),
            models.CheckConstraint(
                condition=Q(default_weight__lte=5),
                name="criterion_default_weight_range",
                violation_error_message=_("The default weight must be between 0 and 5."),
            ),
        ]

    def __str__(self):
        return self.name


class Feature(models.Model):
    key = models.CharField(_("key"), max_length=40, help_text=_("Stable identifier."))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"))
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        related_name="features",
        verbose_name=_("criterion"),
    )
    is_service = models.BooleanField(
        _("sold as a service"),
        default=False,
        help_text=_(
            "Support and the like: its paid level always counts, even for free-only or "
            "open-source-only answers (a service is not a closed edition)."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["criterion__position", "position", "key"]
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        constraints = [
            *key_constraints("feature", _("Another feature already uses this key.")),
        ]

    def __str__(self):
        return self.name


class Rating(VerifiedFact):
    """How a hypervisor does on one criterion: a 0-10 score and the sentence that explains it."""

    hypervisor = models.ForeignKey(
        Hypervisor, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("hypervisor")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MaxValueValidator(10)], help_text=_("0 (poor) to 10 (best).")
    )
    free_edition_score = models.PositiveSmallIntegerField(
        _("score of the free edition"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("Only when the free edition does clearly less than the paid product."),
    )
    justification = models.TextField(
        _("justification"), help_text=_("What the product does here, by its own names.")
    )
    references = models.ManyToManyField(Source, related_name="ratings", verbose_name=_("sources"))

    objects = VerifiedFactQuerySet.as_manager()

    class Meta:
        ordering = ["hypervisor__name", "criterion__position"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["hypervisor", "criterion"],
                name="rating_unique_per_criterion",
                violation_error_message=_("This hypervisor is already rated on this criterion."),
            ),
            models.CheckConstraint(
                condition=Q(score__lte=10),
                name="rating_score_range",
                violation_error_message=_("The score must be between 0 and 10."),
            ),
            models.CheckConstraint(
                condition=Q(free_edition_score__isnull=True) | Q(free_edition_score__lte=10),
                name="rating_free_edition_score_range",
                violation_error_message=_("The free edition's score must be between 0 and 10."),
            ),
        ]

    def __str__(self):
        return f"{self.hypervisor} · {self.criterion}: {self.score}/10"


class Support(VerifiedFact):
    """Whether a hypervisor has a feature, under which name and with which caveats."""

    hypervisor = models.ForeignKey(
        Hypervisor, on_delete=models.CASCADE, related_name="supports", verbose_name=_("hypervisor")
    )
    feature = models.ForeignKey(
        Feature, on_delete=models.PROTECT, related_name="supports", verbose_name=_("feature")
    )
    level = models.CharField(_("level"), max_length=10, choices=SupportLevel.choices)
    product_term = models.CharField(
        _("product's term"),
        max_length=200,
        blank=True,
        help_text=_("The product's own name for it, e.g. vMotion."),
    )
    note = models.TextField(_("caveats"), blank=True, help_text=_("e.g. needs vCenter."))
    references = models.ManyToManyField(
        Source,
        blank=True,
        related_name="supports",
        verbose_name=_("sources"),
        help_text=_("Required unless not verified."),
    )
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.LIKELY
    )

    objects = VerifiedFactQuerySet.as_manager()

    class Meta:
        ordering = ["hypervisor__name", "feature__criterion__position", "feature__position"]
        verbose_name = _("feature support")
        verbose_name_plural = _("feature support")
        constraints = [
            models.UniqueConstraint(
                fields=["hypervisor", "feature"],
                name="support_unique_per_feature",
                violation_error_message=_("This hypervisor already has a row for this feature."),
            ),
            models.CheckConstraint(
                condition=in_choices("level", SupportLevel), name="support_level_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("confidence", Confidence), name="support_confidence_valid"
            ),
        ]

    def __str__(self):
        return f"{self.hypervisor} · {self.feature}: {self.get_level_display()}"


# Prices -----------------------------------------------------------------------------------


class OfferMetric(models.TextChoices):
    PER_CORE_YEAR = "per_core_year", _("Per core per year")
    PER_SOCKET_YEAR = "per_socket_year", _("Per CPU socket per year")
    PER_SOCKET_PAIR_YEAR = "per_socket_pair_year", _("Per pair of sockets per year")
    PER_HOST_YEAR = "per_host_year", _("Per host per year")
    PER_CORE_PACK_PERPETUAL = "per_core_pack_perpetual", _("Per pack of cores, perpetual")
    FREE = "free", _("Free")
    QUOTE = "quote", _("Price on quote")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    USD = "USD", "USD"


class IncludedSupport(models.TextChoices):
    NONE = "none", _("No vendor support")
    BUSINESS_HOURS = "business_hours", _("Vendor support in business hours")
    ROUND_THE_CLOCK = "24x7", _("Vendor support around the clock")


PRICED_METRICS = [
    OfferMetric.PER_CORE_YEAR,
    OfferMetric.PER_SOCKET_YEAR,
    OfferMetric.PER_SOCKET_PAIR_YEAR,
    OfferMetric.PER_HOST_YEAR,
    OfferMetric.PER_CORE_PACK_PERPETUAL,
]


class OfferQuerySet(VerifiedFactQuerySet):
    def with_unlocks(self):
        return self.select_related("hypervisor").prefetch_related("unlocks", "references")


class Offer(VerifiedFact):
    """One way to buy a product (an edition and a support tier), priced by a metric."""

    hypervisor = models.ForeignKey(
        Hypervisor, on_delete=models.CASCADE, related_name="offers", verbose_name=_("hypervisor")
    )
    key = models.CharField(_("key"), max_length=40, help_text=_("Stable identifier."))
    name = models.CharField(_("name"), max_length=150)
    metric = models.CharField(_("metric"), max_length=30, choices=OfferMetric.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The list price of one unit of the metric. Empty for free and on quote."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    support = models.CharField(
        _("support included"),
        max_length=20,
        choices=IncludedSupport.choices,
        default=IncludedSupport.NONE,
    )
    unlocks = models.ManyToManyField(
        Feature,
        blank=True,
        related_name="offers",
        verbose_name=_("features it unlocks"),
        help_text=_("The product's paid features that this edition includes."),
    )
    min_cores_per_cpu = models.PositiveSmallIntegerField(
        _("minimum cores per CPU"), null=True, blank=True
    )
    min_cores_per_server = models.PositiveSmallIntegerField(
        _("minimum cores per server"), null=True, blank=True
    )
    min_cores_per_order = models.PositiveIntegerField(
        _("minimum cores per order"), null=True, blank=True
    )
    order_minimum_active = models.BooleanField(
        _("apply the order minimum"),
        default=False,
        help_text=_("Switch off when the vendor no longer applies its per-order minimum."),
    )
    cores_per_pack = models.PositiveSmallIntegerField(_("cores per pack"), null=True, blank=True)
    vms_per_licence = models.PositiveSmallIntegerField(
        _("VMs per licensing"),
        null=True,
        blank=True,
        help_text=_(
            "Windows Server Standard: 2 VMs each time a host's cores are licensed; "
            "0 for unlimited (Datacenter)."
        ),
    )
    core_cap = models.PositiveSmallIntegerField(
        _("cores per subscription at most"), null=True, blank=True
    )
    references = models.ManyToManyField(Source, related_name="offers", verbose_name=_("sources"))
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.LIKELY
    )
    indicative = models.BooleanField(
        _("indicative"),
        default=False,
        help_text=_("The figure is not from the vendor's own price list: shown as indicative."),
    )
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["hypervisor__name", "position", "name"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["hypervisor", "key"],
                name="offer_key_unique_per_hypervisor",
                violation_error_message=_("This hypervisor already has an offer with this key."),
            ),
            models.CheckConstraint(
                condition=Q(key__regex=KEY_PATTERN),
                name="offer_key_format",
                violation_error_message=_(
                    "The key must be lower-case letters, digits and underscores."
                ),
            ),
            models.CheckConstraint(
                condition=in_choices("metric", OfferMetric), name="offer_metric_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("support", IncludedSupport), name="offer_support_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("confidence", Confidence), name="offer_confidence_valid"
            ),
            models.CheckConstraint(
                condition=~Q(metric__in=PRICED_METRICS)
                | (Q(amount__gt=0) & Q(currency__in=Currency.values)),
                name="offer_priced_has_amount_and_currency",
                violation_error_message=_(
                    "A priced metric needs an amount above 0 and its currency."
                ),
            ),
            models.CheckConstraint(
                condition=Q(metric__in=PRICED_METRICS) | (Q(amount__isnull=True) & Q(currency="")),
                name="offer_free_or_quote_has_no_price",
                violation_error_message=_(
                    "A free offer or a price on quote has no amount: never write 0 for “on quote”."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(metric=OfferMetric.PER_CORE_YEAR) | Q(min_cores_per_cpu__gte=1),
                name="offer_per_core_has_minimum_per_cpu",
                violation_error_message=_(
                    "A per-core price needs the minimum cores counted per CPU (1 if none)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(order_minimum_active=True) | Q(min_cores_per_order__gte=1),
                name="offer_order_minimum_has_cores",
                violation_error_message=_("An order minimum needs its number of cores."),
            ),
            models.CheckConstraint(
                condition=~Q(metric=OfferMetric.PER_SOCKET_PAIR_YEAR) | Q(core_cap__gte=1),
                name="offer_socket_pair_has_core_cap",
                violation_error_message=_(
                    "A price per pair of sockets needs the cores one subscription covers."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(metric=OfferMetric.PER_CORE_PACK_PERPETUAL)
                | (
                    Q(cores_per_pack__gte=1)
                    & Q(min_cores_per_cpu__gte=1)
                    & Q(min_cores_per_server__gte=1)
                    & Q(vms_per_licence__isnull=False)
                ),
                name="offer_core_pack_has_its_rules",
                violation_error_message=_(
                    "A core-pack licence needs the cores per pack, the minimum cores per CPU "
                    "and per server, and the VMs per licensing (0 for unlimited)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.hypervisor} · {self.name}"

    def clean(self):
        """The metric's rules as messages next to the fields (the constraints hold them too)."""
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        priced = self.metric in PRICED_METRICS
        if priced and not (self.amount and self.amount > 0):
            errors["amount"] = _("Give the price of one unit, above 0.")
        if priced and not self.currency:
            errors["currency"] = _("Give the currency of the price.")
        if not priced and (self.amount is not None or self.currency):
            errors["amount"] = _(
                "A free offer or a price on quote has no amount: never write 0 for “on quote”."
            )
        required = {
            OfferMetric.PER_CORE_YEAR: ["min_cores_per_cpu"],
            OfferMetric.PER_SOCKET_PAIR_YEAR: ["core_cap"],
            OfferMetric.PER_CORE_PACK_PERPETUAL: [
                "cores_per_pack",
                "min_cores_per_cpu",
                "min_cores_per_server",
                "vms_per_licence",
            ],
        }.get(self.metric, [])
        for name in required:
            if getattr(self, name) is None or (
                name != "vms_per_licence" and not getattr(self, name)
            ):
                errors[name] = _("This metric needs this figure.")
        if self.order_minimum_active and not self.min_cores_per_order:
            errors["min_cores_per_order"] = _("An order minimum needs its number of cores.")
        if errors:
            raise ValidationError(errors)


class ExchangeRateQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-on", "-pk")


class ExchangeRate(models.Model):
    """How many US dollars one euro buys, on a date, from a source: the reports convert with
    the latest one."""

    usd_per_eur = models.DecimalField(_("USD per EUR"), max_digits=8, decimal_places=4)
    on = models.DateField(_("date of the rate"))
    source = models.URLField(_("source"), max_length=500)
    source_title = models.CharField(_("source title"), max_length=200, blank=True)

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ["-on"]
        verbose_name = _("EUR/USD rate")
        verbose_name_plural = _("EUR/USD rates")
        constraints = [
            models.UniqueConstraint(
                fields=["on"],
                name="exchange_rate_one_per_day",
                violation_error_message=_("There is already a rate for this date."),
            ),
            models.CheckConstraint(
                condition=Q(usd_per_eur__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("The rate must be above 0."),
            ),
        ]

    def __str__(self):
        return f"1 EUR = {self.usd_per_eur} USD ({self.on})"


# Corrections suggested by visitors -----------------------------------------------------


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SuggestionStatus.PENDING)


class CorrectionSuggestion(models.Model):
    """A visitor's proposed correction of a product's fact, waiting for an editor."""

    hypervisor = models.ForeignKey(
        Hypervisor,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("hypervisor"),
    )
    fact = models.CharField(_("fact"), max_length=200)
    proposed = models.TextField(_("proposed change"), max_length=2000)
    source_url = models.URLField(_("source"), max_length=500)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    resulting_change = models.URLField(
        _("resulting change"),
        max_length=500,
        blank=True,
        help_text=_("For an accepted suggestion: the admin page of the fact that was changed."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suggested correction")
        verbose_name_plural = _("suggested corrections")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("status", SuggestionStatus), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.ACCEPTED) | ~Q(resulting_change=""),
                name="suggestion_accepted_links_its_change",
                violation_error_message=_("An accepted suggestion links the change it led to."),
            ),
        ]

    def __str__(self):
        return f"{self.hypervisor} · {self.fact}"
