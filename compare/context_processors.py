from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_from_path


def language_links(request):
    """This page in every language, for the switcher; none on language-neutral pages (a
    shared recommendation reads in the language it was made in)."""
    if not get_language_from_path(request.path_info):
        return {"language_links": []}
    path = request.get_full_path()
    return {"language_links": [(code, translate_url(path, code)) for code, _ in settings.LANGUAGES]}
