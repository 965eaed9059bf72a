"""The people pages: LCC officers and site administrators invite people, change their roles, deactivate and
reactivate them, send an invitation again and reset a lost second factor. Every change is a POST through a
service; the person is found in the manager's own scope (a guessed id is a 404) and the policy says whether
they may manage them (403 otherwise)."""

import logging
import smtplib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.roles import Role
from vcsportal.people.forms import InviteForm, PeopleFilterForm, ReasonForm, RoleChangeForm, RoleFields
from vcsportal.people.selectors import people_for, person_changes
from vcsportal.people.services import (
    invitation_send,
    person_access_text,
    person_change_role,
    person_deactivate,
    person_fingerprint,
    person_invite,
    person_reactivate,
    person_two_factor_reset,
)
from vcsportal.policies import people_policy
from vcsportal.twofactor.services import has_authenticator, second_factor_required

logger = logging.getLogger(__name__)

SEND_FAILED = (
    "The invitation email could not be sent ({error}). The account is made: use Send the invitation again "
    "once email works."
)


class PeoplePolicyMixin:
    """Only those the policy lets see people reach these pages at all."""

    def dispatch(self, request, *args, **kwargs):
        if not people_policy.user_can(request.user, "view"):
            raise PermissionDenied("Only LCC contract officers and site administrators manage people.")
        return super().dispatch(request, *args, **kwargs)


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


class PeopleListView(PeoplePolicyMixin, View):
    template_name = "people/person_list.html"

    def get(self, request):
        form = PeopleFilterForm(data=request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        people = people_for(
            request.user, q=filters.get("q", ""), role=filters.get("role", ""), status=filters.get("status", "")
        )
        return render(
            request,
            self.template_name,
            {"form": form, "people": people[:500], "count": people.count(), "may_invite": self._may_invite()},
        )

    def _may_invite(self) -> bool:
        return people_policy.user_can(self.request.user, "manage")


class PersonInviteView(PeoplePolicyMixin, View):
    template_name = "people/person_invite.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not people_policy.user_can(request.user, "manage"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": InviteForm(manager=request.user)})

    def post(self, request):
        form = InviteForm(data=request.POST, manager=request.user)
        if form.is_valid():
            try:
                person = person_invite(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                try:
                    invitation_send(person=person, by=request.user, site_url=_site_url(request))
                except (OSError, smtplib.SMTPException) as error:
                    logger.warning("Invitation to %s not sent: %s", person.email, error)
                    messages.error(request, SEND_FAILED.format(error=type(error).__name__))
                else:
                    messages.success(request, f"{person.get_full_name()} is invited: the email is on its way.")
                return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
        return render(request, self.template_name, {"form": form}, status=400)


class PersonMixin(PeoplePolicyMixin):
    """The person in the URL, found among those the user may see (else 404)."""

    def person(self, pk):
        person = people_policy.instances_for(self.request.user, "view").filter(pk=pk).first()
        if person is None:
            raise Http404("No such person")
        return person

    def may_manage(self, person) -> bool:
        return people_policy.user_can(self.request.user, "manage", person)


class PersonDetailView(PersonMixin, View):
    template_name = "people/person_detail.html"

    def get(self, request, pk):
        return self.render_page(request, self.person(pk))

    def render_page(self, request, person, *, status=200, **forms):
        seen = {"seen": person_fingerprint(person)}
        initial = {**seen, "role": person.role, "organisation": person.organisation_id, "funder": person.funder_id}
        context = {
            "person": person,
            "access": person_access_text(person),
            "may_manage": self.may_manage(person),
            "changes": person_changes(person),
            "role_form": forms.get("role_form") or RoleChangeForm(initial=initial, prefix="role", manager=request.user),
            "active_form": forms.get("active_form") or ReasonForm(initial=seen, prefix="active"),
            "two_factor_form": forms.get("two_factor_form") or ReasonForm(initial=seen, prefix="twofactor"),
            "invitation_pending": person.is_active and not person.has_usable_password(),
            "two_factor_on": has_authenticator(person),
            "two_factor_required": second_factor_required(person),
            "role_label": Role(person.role).label,
        }
        return render(request, self.template_name, context, status=status)


class PersonActionView(PersonMixin, View):
    """A POST that changes a person through one service; errors come back on the person's page (400)."""

    http_method_names = ["post"]
    form_class = ReasonForm
    prefix = "active"
    form_context = "active_form"

    def post(self, request, pk):
        person = self.person(pk)
        if not self.may_manage(person):
            raise PermissionDenied("You may not change this person.")
        manager = {"manager": request.user} if issubclass(self.form_class, RoleFields) else {}
        form = self.form_class(data=request.POST, prefix=self.prefix, **manager)
        if form.is_valid():
            try:
                message = self.act(person, form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
        person.refresh_from_db()
        return PersonDetailView(request=request).render_page(request, person, status=400, **{self.form_context: form})

    def act(self, person, data) -> str:
        raise NotImplementedError


class PersonChangeRoleView(PersonActionView):
    form_class = RoleChangeForm
    prefix = "role"
    form_context = "role_form"

    def act(self, person, data):
        person_change_role(person=person, by=self.request.user, seen=data["seen"] or None, **_role_data(data))
        person.refresh_from_db()
        return f"{person.get_full_name() or person.username} is now {person_access_text(person)}."


def _role_data(data) -> dict:
    return {key: data[key] for key in ("role", "organisation", "funder", "reason")}


class PersonDeactivateView(PersonActionView):
    def act(self, person, data):
        person_deactivate(person=person, by=self.request.user, reason=data["reason"], seen=data["seen"] or None)
        return f"{person.get_full_name() or person.username} is deactivated: signed out everywhere, API token deleted."


class PersonReactivateView(PersonActionView):
    def act(self, person, data):
        person_reactivate(person=person, by=self.request.user, reason=data["reason"], seen=data["seen"] or None)
        return f"{person.get_full_name() or person.username} is active again."


class PersonTwoFactorResetView(PersonActionView):
    prefix = "twofactor"
    form_context = "two_factor_form"

    def act(self, person, data):
        person_two_factor_reset(person=person, by=self.request.user, reason=data["reason"])
        return f"Two-factor sign-in is reset for {person.get_full_name() or person.username}: they set it up again."


class PersonInvitationResendView(PersonMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        person = self.person(pk)
        if not self.may_manage(person):
            raise PermissionDenied("You may not change this person.")
        try:
            invitation_send(person=person, by=request.user, site_url=_site_url(request), again=True)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("Invitation to %s not sent: %s", person.email, error)
            messages.error(request, SEND_FAILED.format(error=type(error).__name__))
        else:
            messages.success(request, f"The invitation is sent again to {person.email}.")
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
