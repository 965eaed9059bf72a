"""HTML, JSON and CSV answers compressed with gzip where it is safe; static files are whitenoise's business.

Django's GZipMiddleware (with its BREACH mitigation since 4.2: random bytes in the gzip header, so lengths
stop matching guesses) is applied only where it helps and cannot leak:

- text answers only (pages, JSON, CSV, the OpenAPI schema): an XLSX download is already a zip;
- never an answer marked ``Cache-Control: no-store``: that is how a page showing a credential (the API token
  page) or the sign-in page is marked, and such a page is sent as it is, so no attacker can learn a secret
  from its compressed length.

Why the rest is safe from BREACH (a secret guessed from the compressed length of pages that echo attacker
input beside it): the session and CSRF cookies are SameSite=Lax, so another site cannot make a signed-in
browser fetch pages repeatedly; every page's CSRF token is masked afresh on each response; and no secret
appears on the pages that are compressed. Static files are compressed ahead of time (gzip and brotli) and
fingerprinted by whitenoise's CompressedManifestStaticFilesStorage, and whitenoise answers them before this
middleware is reached.
"""

from django.middleware.gzip import GZipMiddleware

#: Content types worth compressing (everything else, such as XLSX, is sent as it is).
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/vnd.oai.openapi", "application/javascript")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
            return response
        if "no-store" in response.get("Cache-Control", ""):
            return response
        return super().process_response(request, response)
