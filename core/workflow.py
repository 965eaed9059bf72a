"""The state machines' shared parts (django-fsm): who may fire a transition, and why one is refused.

A model's transitions say *when* a step is open (``source`` states and ``conditions``) and *whose* step it is
(``permission``, which asks a policy through a permission name); their bodies stamp what the step changes.
The services fire them through ``transition_refusal`` and the pages list ``transitions_for`` a user, so the
buttons a page shows are exactly the steps the service will take.

A condition may carry a ``refusal`` attribute: the sentence that says why the step is not open (``{obj}`` is
replaced by the object); a transition's ``custom`` may say how the step reads once taken (``"done"``) and how
a button offers it (``"label"``).
"""

from django.core.exceptions import PermissionDenied
from django_fsm import Transition


def allowed_by(permission: str):
    """A transition's ``permission``: the named permission, asked for this object (never for "any object",
    which is what django-fsm falls back to for a permission given as a bare name)."""

    def check(instance, user) -> bool:
        return user.has_perm(permission, instance)

    check.permission_name = permission
    return check


def refusal(text: str):
    """Mark a condition with the sentence that says why a step is not open when it fails."""

    def mark(condition):
        condition.refusal = text
        return condition

    return mark


def _meta(obj, name: str):
    return getattr(type(obj), name)._django_fsm


def declared(obj, name: str) -> Transition:
    """The step ``name`` as declared (its ``custom`` is the same from every source state)."""
    return next(iter(_meta(obj, name).transitions.values()))


def may_fire(obj, name: str, user) -> bool:
    """Whether the step is ``user``'s to take on this object, whatever its state now (``user`` None: a trusted
    operator at the command line)."""
    return user is None or declared(obj, name).has_perm(obj, user)


def require_step(obj, name: str, user) -> None:
    """Refuse (PermissionDenied) a user whose step this is not."""
    if not may_fire(obj, name, user):
        raise PermissionDenied(f"You may not do that to {obj}.")


def transition_refusal(obj, name: str) -> str | None:
    """Why the step ``name`` is not open on ``obj`` now (its state, then each condition), or None."""
    meta = _meta(obj, name)
    state = meta.field.get_state(obj)
    transition = meta.get_transition(state)
    if transition is None:
        choices = dict(obj._meta.get_field(meta.field.name).flatchoices)
        shown = str(choices.get(state, state)).lower()
        custom = declared(obj, name).custom
        template = custom.get("not_from", "{obj} is {status}: it cannot be {done} from that status.")
        return template.format(obj=obj, status=shown, done=custom.get("done") or name.replace("_", " "))
    for condition in transition.conditions:
        if not condition(obj):
            return getattr(condition, "refusal", "{obj} cannot be changed that way now.").format(obj=obj)
    return None


def transitions_for(obj, user, field: str = "status") -> list[Transition]:
    """The transitions open to ``user`` on ``obj`` now: the source state, every condition and the permission."""
    return list(getattr(obj, f"get_available_user_{field}_transitions")(user))
