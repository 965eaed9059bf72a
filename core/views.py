"""View mixins every app's pages are assembled from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from rules.contrib.views import PermissionRequiredMixin


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
