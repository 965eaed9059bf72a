"""View mixins every app's pages are assembled from."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from rules.contrib.views import PermissionRequiredMixin

#: The hidden field a confirmation page adds: only a POST carrying it makes an irreversible change.
CONFIRM_FIELD = "confirmed"


@dataclass
class Confirmation:
    """What a confirmation page says before an irreversible change: its question, exactly what will change
    (one sentence a line), the confirm button's words and where "Cancel" goes (nothing changed)."""

    title: str
    changes: list[str]
    button: str
    cancel_url: str
    warning: str = "You cannot undo this."
    extra: list[tuple[str, str]] = field(default_factory=list)


def is_confirmed(request) -> bool:
    """Whether this POST came from a confirmation page's button."""
    return request.POST.get(CONFIRM_FIELD) == "yes"


class _RolledBack(Exception):
    pass


def dry_run(change):
    """Make ``change()`` and undo it (everything it wrote, every email it queued after commit), so a
    confirmation page is shown only for a change that would go through; its ``ValidationError`` is raised."""
    try:
        with transaction.atomic():
            change()
            raise _RolledBack
    except _RolledBack:
        pass


def confirmation_page(request, confirmation: Confirmation, *, action: str | None = None):
    """The page that asks before an irreversible change: it posts back exactly what was posted (every field,
    hidden), with the confirmation mark, to the same URL. Nothing has been changed when it is shown."""
    hidden = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    context = {"confirmation": confirmation, "hidden": hidden, "action": action or request.path}
    return render(request, "includes/confirm.html", context)


class PortalPermissionMixin(PermissionRequiredMixin):
    """Refuse with 403 (never a login redirect: everyone here is signed in) unless ``permission_required``
    (a name that asks a policy) holds for the user, or for the view's object where it has one."""

    raise_exception = True


class SiteWidePermissionMixin:
    """Refuse (403) a user without the site-wide permission the view names (no object is looked at)."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ServiceFormMixin:
    """A change made through a service from a form: a valid form calls the service (``perform``); on success
    show the success message and redirect (to the page's object, else to what the service made), otherwise
    re-render the page with the form's errors, the service's ``ValidationError`` put on the right fields
    (409 when someone else changed the object first). A view with an object (a DetailView) reads it first."""

    form_context_name = "form"
    success_message = "Saved."
    #: An irreversible change: a valid form first gets a confirmation page (``get_confirmation``), and only
    #: the confirming POST calls the service.
    irreversible = False

    def get_confirmation(self, form) -> Confirmation:
        raise NotImplementedError

    def get_form(self):
        """The form, bound to the request's POST data."""
        raise NotImplementedError

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result) -> str:
        target = getattr(self, "object", None) or result
        return target.get_absolute_url()

    def post(self, request, *args, **kwargs):
        if hasattr(self, "get_object"):
            self.object = self.get_object()
        form = self.get_form()
        status = 200
        if form.is_valid() and self.irreversible and not is_confirmed(request):
            # Check, then confirm: the page asks only about a change the service would make.
            confirmation = self.get_confirmation(form)
            try:
                dry_run(lambda: self.perform(form))
            except ValidationError as error:
                form.add_service_error(error)
                if getattr(error, "code", None) == "stale":
                    status = 409
            else:
                return confirmation_page(request, confirmation)
            finally:
                if hasattr(self, "get_object"):
                    self.object = self.get_object()  # as stored, whatever the dry run did to it in memory
        if form.is_valid():
            try:
                result = self.perform(form)
            except ValidationError as error:
                form.add_service_error(error)
                if getattr(error, "code", None) == "stale":
                    status = 409
            else:
                messages.success(request, self.get_success_message(result))
                return redirect(self.get_success_url(result))
        context = self.get_context_data(**{self.form_context_name: form})
        return self.render_to_response(context, status=status)


class ServiceActionMixin(ServiceFormMixin):
    """A POST-only change shown on its object's page (the page itself is another view)."""

    http_method_names = ["post"]
