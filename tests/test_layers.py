"""The layers hold: every import of every project module, and every relation between models, points down.

Bottom to top: ``core`` <- ``districts`` <- ``contracts`` <- ``performance`` <- ``disputes`` <- ``notifications``
<- ``vcsportal`` (the README's Layout section says what each holds). A module may import its own app and the
apps below it, never one above. The imports are read with ``ast`` from every ``.py`` file of every app
(migrations, commands and imports inside functions included), so a new module or a new import cannot escape
the rule; the models' foreign keys and many-to-many fields are read from Django's registry, so a relation
cannot reach upward either (the user model, ``settings.AUTH_USER_MODEL``, is the site's and reached by name).
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

#: Bottom to top.
LAYERS = ["core", "districts", "contracts", "performance", "disputes", "notifications", "vcsportal"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def _apps_present() -> list[str]:
    return [name for name in LAYERS if (ROOT / name / "__init__.py").exists()]


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imported(tree: ast.AST, module: str, is_package: bool):
    """Every module name an import in ``tree`` names (relative imports resolved), with its line."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                yield node.module or "", node.lineno
                continue
            base = package.split(".")
            base = ".".join(base[: len(base) - node.level + 1])
            if node.module:
                yield f"{base}.{node.module}", node.lineno
            else:  # from . import selectors
                for alias in node.names:
                    yield f"{base}.{alias.name}", node.lineno


def test_the_layers_are_the_installed_apps_of_the_project():
    """Every app of ours has a place in the layers (a new app must be given one)."""
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    assert ours <= set(LAYERS), f"apps without a layer: {sorted(ours - set(LAYERS))}"


@pytest.mark.parametrize("app", _apps_present())
def test_no_module_imports_a_layer_above_its_own(app):
    broken = []
    for path, module in _modules(app):
        tree = ast.parse(path.read_text(), filename=str(path))
        for name, line in _imported(tree, module, path.name == "__init__.py"):
            top = name.partition(".")[0]
            if top in RANK and RANK[top] > RANK[app]:
                broken.append(f"{path.relative_to(ROOT)}:{line} imports {name} ({top} is above {app})")
    assert not broken, "imports that break the layers:\n" + "\n".join(broken)


@pytest.mark.parametrize("app", _apps_present())
def test_no_model_relation_reaches_a_layer_above_its_own(app):
    if not apps.is_installed(app):
        pytest.skip(f"{app} has no models")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    broken = []
    for model in apps.get_app_config(app).get_models():
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model in (None, user_model):
                continue
            target = field.related_model._meta.app_label
            if target in RANK and RANK[target] > RANK[app]:
                broken.append(f"{model.__name__}.{field.name} -> {field.related_model.__name__} ({target})")
    assert not broken, "relations that break the layers:\n" + "\n".join(broken)


def test_the_check_sees_an_upward_import():
    """The walk itself works: an import of a higher layer, written as a domain module would, is caught."""
    tree = ast.parse("from vcsportal.models import User\nfrom . import selectors\n")
    names = dict(_imported(tree, "contracts.views", is_package=False))
    assert "vcsportal.models" in names and "contracts.selectors" in names
