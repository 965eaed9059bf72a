"""Static files as production serves them: ``collectstatic`` with whitenoise's CompressedManifestStaticFilesStorage
writes each file under a name with its content's hash, with gzip and brotli copies beside it, and rewrites the
stylesheet's references to the hashed names; whitenoise then answers the brotli copy to a browser that takes
it, cached for a year as immutable. Collected here from the portal's own ``static/`` (what ``make static``
builds), less the browser tests' axe-core, to keep the test quick; production collects every app's files the
same way.
"""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET = ROOT / "static" / "build" / "portal.css"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    if not STYLESHEET.exists():
        pytest.fail(f"{STYLESHEET} is missing: run `make static`")
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=PRODUCTION_STORAGES,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", "--noinput", "--ignore", "axe.min.js", verbosity=0)
        yield root


def _manifest(root: Path) -> dict[str, str]:
    return json.loads((root / "staticfiles.json").read_text())["paths"]


def test_the_settings_use_the_compressed_fingerprinted_storage_in_production():
    production = dict(os.environ, DJANGO_ENV="production", SECRET_KEY="test-only", ALLOWED_HOSTS="portal.example.org")
    answer = subprocess.run(
        [sys.executable, "-c", "import json, vcsportal.settings as s; print(json.dumps(s.STORAGES))"],
        cwd=ROOT,
        env=production,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(answer.stdout)["staticfiles"] == PRODUCTION_STORAGES["staticfiles"]


@pytest.mark.parametrize("name", ["build/portal.css", "build/govuk-frontend.min.js"])
def test_each_file_is_fingerprinted_with_gzip_and_brotli_copies_of_the_same_bytes(collected, name):
    hashed = _manifest(collected)[name]
    assert re.fullmatch(re.escape(name.rsplit(".", 1)[0]) + r"\.[0-9a-f]{12}\." + name.rsplit(".", 1)[1], hashed)
    original = (collected / hashed).read_bytes()
    assert gzip.decompress((collected / f"{hashed}.gz").read_bytes()) == original
    assert brotli.decompress((collected / f"{hashed}.br").read_bytes()) == original
    assert (collected / f"{hashed}.br").stat().st_size < len(original) / 4


def test_the_stylesheet_points_at_the_fingerprinted_images(collected):
    manifest = _manifest(collected)
    css = (collected / manifest["build/portal.css"]).read_text()
    references = set(re.findall(r"url\(([^)]+)\)", css)) - {""}
    assert references, "the stylesheet references no images: were the govuk-frontend assets built?"
    for reference in references:
        path = reference.strip("\"'")
        if path.startswith("data:"):
            continue
        assert path.startswith("/static/build/images/"), path
        assert path.removeprefix("/static/") in manifest.values(), f"{path} is not a fingerprinted name"


def test_whitenoise_answers_brotli_to_a_browser_that_takes_it_and_caches_it_for_good(collected):
    hashed = _manifest(collected)["build/portal.css"]
    with override_settings(STATIC_ROOT=collected, STORAGES=PRODUCTION_STORAGES, DEBUG=False):
        middleware = WhiteNoiseMiddleware(lambda request: pytest.fail("whitenoise passed a static file on"))
        request = RequestFactory().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        response = middleware(request)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert brotli.decompress(body) == (collected / hashed).read_bytes()
