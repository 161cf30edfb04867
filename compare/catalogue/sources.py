"""The sourcing policy: which hosts are never a source, and which only for the vendor's own
document. Editors extend the refused list in the admin (RefusedDomain)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

# Paste sites, generated encyclopaedias and their mirrors, content farms, download portals,
# exam dumps: none of them tells who checked a fact.
REFUSED_DOMAINS = {
    "pastebin.com": "paste site",
    "paste.ee": "paste site",
    "ghostbin.com": "paste site",
    "grokipedia.com": "generated encyclopaedia",
    "deepwiki.com": "generated encyclopaedia",
    "wikisum.wiki": "generated encyclopaedia",
    "munthe.me": "encyclopaedia mirror",
    "fanyv88.com": "unidentifiable proxy of other sites",
    "up.railway.app": "unidentifiable mirror host",
    "bliptext.com": "encyclopaedia mirror",
    "hubbry.com": "encyclopaedia mirror",
    "friendlywiki.com": "encyclopaedia mirror",
    "wikiwand.com": "encyclopaedia mirror",
    "probsee.com": "content farm",
    "aidoos.com": "content farm copying vendor documentation",
    "undercodetesting.com": "content farm",
    "itkarma.ru": "content farm republishing others' posts",
    "filehippo.com": "download portal",
    "softonic.com": "download portal",
    "uptodown.com": "download portal",
    "exam-labs.com": "exam dump",
    "examtopics.com": "exam dump",
    "nixfred.com": "exam study guide",
    "1library.net": "document mirror",
}
# Document hosts: a source only when the document is the vendor's own (a vendor kind).
DOCUMENT_HOSTS = {"scribd.com", "studylib.net", "slideshare.net", "readkong.com"}


def _matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def refusal(url: str, kind: str) -> str:
    """Why `url` cannot be a source ("" if it can)."""
    from compare.models import RefusedDomain, VENDOR_KINDS  # noqa: I001 - the models use this

    host = host_of(url)
    refused = {**REFUSED_DOMAINS, **dict(RefusedDomain.objects.values_list("domain", "reason"))}
    for domain, why in refused.items():
        if _matches(host, domain):
            return _("%(domain)s is not accepted as a source (%(why)s).") % {
                "domain": domain,
                "why": why,
            }
    if any(_matches(host, domain) for domain in DOCUMENT_HOSTS) and kind not in VENDOR_KINDS:
        return _(
            "%(host)s hosts copies: cite it only for the vendor's own document, as vendor "
            "documentation, and only where the vendor has no page of its own."
        ) % {"host": host}
    return ""
