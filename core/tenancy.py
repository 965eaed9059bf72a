"""One partnership per row: a row's parts belong to the partnership the row itself belongs to.

Every model says how it reaches its partnership (``partnership_path``, e.g. a result's
``"return_obj__provider__county_id"``; ``None`` for the shared framework). A row whose foreign key points at an
object of a model that also belongs to a partnership (a result's district, an allocation's organisation, a
sub-contract's provider or districts, a dispute's result) must point inside its own partnership: a Leicestershire
result for a district of another council, or a sub-contract of Leicestershire's CIO with another council's hub,
is refused before it is written.

The pairs are generated from the declarations (``partnership_pairs``), so a foreign key added tomorrow is
checked without a line here. The check is one place every ``save()`` and every many-to-many ``add`` passes
(Django's ``pre_save`` and ``m2m_changed`` signals, connected in ``CoreConfig.ready``); it raises
``CrossPartnership``, an ``IntegrityError``, so the transaction it happens in is rolled back whole.

An actor (a foreign key to a user: who recorded, decided, signed) of no partnership (a site administrator)
may act in any partnership; one of another partnership may not. Bulk writers (``bulk_create``, ``update``,
``COPY``) do not pass here: only the synthetic-data generator uses them, building each partnership from its own
rows.

Costs: a row being created is checked on every pair (a query per related object not already loaded); a row
being updated only on the pairs whose fields the save names (all of them when it names none).
"""

from django.apps import apps
from django.db import IntegrityError
from django.db.models import ForeignKey, Model
from django.db.models.signals import m2m_changed, pre_save


class CrossPartnership(IntegrityError):
    """A row would join objects of two partnerships."""


def partnership_path(model) -> str | None:
    return getattr(model, "partnership_path", None)


def is_history(model) -> bool:
    """A simple-history record: a copy of a row already checked when it was saved."""
    return any(field.name == "history_id" for field in model._meta.concrete_fields)


def partnership_pairs(model) -> list:
    """The relations of ``model`` that must stay in its partnership: each forward foreign key (or many-to-many)
    to a model with a partnership, other than the first step of the model's own path (which defines it)."""
    path = partnership_path(model)
    if path is None or model._meta.auto_created or is_history(model):
        return []
    head = path.split("__")[0]
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.name != head
        and getattr(field, "attname", None) != head
        and partnership_path(field.related_model) is not None
    ]


def value_along(obj: Model, path: str):
    """The value at the end of ``path`` from ``obj``: through related objects already loaded, otherwise in one
    query for the rest of the path."""
    head, _, rest = path.partition("__")
    if not rest:
        return obj.pk if head in ("id", "pk") else getattr(obj, head)
    field = obj._meta.get_field(head)
    if field.is_cached(obj):
        related = getattr(obj, head)
        return None if related is None else value_along(related, rest)
    related_id = getattr(obj, field.attname)
    if related_id is None:
        return None
    return field.related_model._base_manager.filter(pk=related_id).values_list(rest, flat=True).first()


def partnership_of(obj: Model):
    path = partnership_path(type(obj))
    return None if path is None else value_along(obj, path)


def _refuse(obj, field, own, theirs):
    model = obj._meta.verbose_name
    raise CrossPartnership(
        f"{model} in partnership {own}: its {field.verbose_name} belongs to partnership {theirs}. A {model} and its "
        f"{field.verbose_name} must belong to the same partnership."
    )


def check_foreign_keys(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    pairs = [field for field in partnership_pairs(sender) if isinstance(field, ForeignKey)]
    if not instance._state.adding and update_fields is not None:
        named = set(update_fields)
        pairs = [field for field in pairs if field.name in named or field.attname in named]
    if not pairs:
        return
    own = partnership_of(instance)
    if own is None:
        return
    for field in pairs:
        if getattr(instance, field.attname) is None:
            continue
        theirs = value_along(instance, f"{field.name}__{partnership_path(field.related_model)}")
        if theirs is not None and theirs != own:
            _refuse(instance, field, own, theirs)


def check_many_to_many(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    own = partnership_of(instance)
    if own is None or partnership_path(model) is None:
        return
    theirs = set(model._base_manager.filter(pk__in=pk_set).values_list(partnership_path(model), flat=True))
    theirs.discard(None)
    if theirs - {own}:
        field = next(
            field
            for field in partnership_pairs(model if reverse else type(instance))
            if field.many_to_many and field.remote_field.through is sender
        )
        _refuse(instance, field, own, ", ".join(str(other) for other in sorted(theirs - {own})))


def connect() -> None:
    """Check every model with a partnership (called once, when the apps are ready)."""
    for model in apps.get_models():
        pairs = partnership_pairs(model)
        if any(isinstance(field, ForeignKey) for field in pairs):
            pre_save.connect(check_foreign_keys, sender=model, dispatch_uid=f"tenancy:{model._meta.label}")
        for field in pairs:
            if field.many_to_many:
                m2m_changed.connect(
                    check_many_to_many,
                    sender=field.remote_field.through,
                    dispatch_uid=f"tenancy:{model._meta.label}.{field.name}",
                )
