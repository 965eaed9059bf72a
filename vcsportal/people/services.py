"""Every change to who may use the portal. Each service is atomic, validates before it saves, and records who,
when and why (a PersonChange row, shown on the person's page) in the same transaction. Emails (the invitation)
are sent by ``invitation_send`` after the change has committed, so an email never announces a change that was
rolled back, and a failed send is reported to the officer, who can send it again."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from contracts.models import Funder, Organisation
from core.roles import NATIONAL_ROLES, PROVIDER_ROLES, Role
from districts.models import County
from vcsportal.models import PersonChange, User
from vcsportal.people.roles import person_role_sync
from vcsportal.twofactor.services import second_factor_remove

#: Roles that review for a funder, and so name one.
FUNDER_ROLES = {Role.FUNDER_REVIEWER}
#: Roles that may name the funder they work for (LCC officers work for the council, a funder).
FUNDER_OPTIONAL_ROLES = {Role.LCC_OFFICER}


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for this change."})
    return reason


def _role_fields(role, organisation: Organisation | None, funder: Funder | None) -> tuple:
    """The organisation and funder a role keeps: providers' staff belong to a provider, funder reviewers to a
    funder; anything else given is dropped, so a role change never leaves a stale link behind."""
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError({"role": "Choose a role from the list."}) from None
    if role in NATIONAL_ROLES:
        # The people pages manage one partnership's people; a national reviewer belongs to none.
        raise ValidationError(
            {"role": "A national reviewer belongs to no partnership: a site administrator sets one up."}
        )
    if role in PROVIDER_ROLES:
        if organisation is None:
            raise ValidationError({"organisation": "Choose the organisation this person works for."})
        if role == Role.CIO_STAFF and organisation.kind != Organisation.Kind.CIO:
            raise ValidationError({"organisation": "CIO staff work for the countywide organisation: choose the CIO."})
        if role == Role.PROVIDER_STAFF and organisation.kind == Organisation.Kind.CIO:
            raise ValidationError({"organisation": "Hub or LRC staff work for a hub or LRC: choose one."})
    else:
        organisation = None
    if role in FUNDER_ROLES and funder is None:
        raise ValidationError({"funder": "Choose the funder this person reviews for."})
    if role not in FUNDER_ROLES | FUNDER_OPTIONAL_ROLES:
        funder = None
    return role, organisation, funder


def person_access_text(person: User) -> str:
    """What a person may do, in words, for the record: role, organisation or funder, and whether active."""
    where = person.organisation.code if person.organisation_id else (person.funder.code if person.funder_id else "")
    text = Role(person.role).label + (f" ({where})" if where else "")
    return text if person.is_active else f"{text}, deactivated"


def person_fingerprint(person: User) -> str:
    """What a manager saw when they opened the person's page: a change made by someone else since then makes
    their form stale (users carry no version number, so this stands in for one)."""
    return f"{person.role}|{person.organisation_id or ''}|{person.funder_id or ''}|{int(person.is_active)}"


def _lock_current(person: User, seen: str | None) -> User:
    current = User.objects.select_for_update(of=("self",)).get(pk=person.pk)
    if seen is not None and person_fingerprint(current) != seen:
        raise ValidationError(
            "Someone else changed this person since you opened the page. Reload it to see their change, then try "
            "again.",
            code="stale",
        )
    return current


def _record(person: User, *, kind, by, reason: str, before: str = "", after: str = "") -> PersonChange:
    return PersonChange.objects.create(
        person=person, kind=kind, before=before[:300], after=after[:300], reason=reason, changed_by=by
    )


def _partnership_of_new_person(by, organisation: Organisation | None) -> County:
    """A new person works in their organisation's partnership, else in the inviter's; a site administrator
    (who works in none) inviting a funder or LCC officer where several partnerships exist must name one."""
    if organisation is not None:
        if by.partnership_id is not None and organisation.county_id != by.partnership_id:
            raise ValidationError({"organisation": "Choose an organisation of your own partnership."})
        return organisation.county
    if by.partnership_id is not None:
        return by.partnership
    partnerships = list(County.objects.all()[:2])
    if len(partnerships) != 1:
        raise ValidationError(
            "Invite them from an account of their partnership: a site administrator cannot tell which."
        )
    return partnerships[0]


@transaction.atomic
def person_invite(
    *,
    by,
    email: str,
    first_name: str,
    last_name: str,
    role,
    organisation: Organisation | None = None,
    funder: Funder | None = None,
    reason: str = "",
) -> User:
    """Make an account for someone new, who signs in with their email address once they have set a password
    from the invitation (``invitation_send``). Until then the account has no usable password."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter the person's email address."})
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": "Someone with this email address already has an account."})
    role, organisation, funder = _role_fields(role, organisation, funder)
    partnership = _partnership_of_new_person(by, organisation)
    person = User(
        username=email,
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        role=role,
        organisation=organisation,
        funder=funder,
        partnership=partnership,
    )
    person.set_unusable_password()
    person.full_clean()
    person.save()
    person_role_sync(person)
    _record(
        person,
        kind=PersonChange.Kind.INVITED,
        by=by,
        reason=(reason or "").strip() or "Invited",
        after=person_access_text(person),
    )
    return person


def invitation_link(person: User, *, site_url: str) -> str:
    """The link that lets the person set their first password (Django's password-reset token: it stops working
    once a password is set, or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return site_url.rstrip("/") + path


def invitation_send(*, person: User, by, site_url: str, again: bool = False) -> None:
    """Email the invitation (at once, through Django's email backend). ``again``: record that it was resent.
    Raises the backend's error (OSError, smtplib.SMTPException) when the email could not be sent."""
    if person.has_usable_password():
        raise ValidationError("This person has already set a password: they can reset it from the sign-in page.")
    if not person.is_active:
        raise ValidationError("This person is deactivated: reactivate them first.")
    context = {
        "person": person,
        "invited_by": by,
        "link": invitation_link(person, site_url=site_url),
        "portal_name": settings.PORTAL_NAME,
        "partnership": settings.PORTAL_PARTNERSHIP,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24),
    }
    send_mail(
        subject=f"You are invited to the {settings.PORTAL_NAME}",
        message=render_to_string("people/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[person.email],
        fail_silently=False,
    )
    if again:
        _record(person, kind=PersonChange.Kind.INVITATION_SENT, by=by, reason="Invitation sent again")


@transaction.atomic
def person_change_role(
    *,
    person: User,
    by,
    role,
    organisation: Organisation | None,
    funder: Funder | None,
    reason: str,
    seen: str | None = None,
) -> PersonChange:
    """Change what someone may do: their role and the organisation or funder it goes with. Their groups (the
    admin's permissions) follow at once; so does the second factor when the new role requires it."""
    reason = _require_reason(reason)
    current = _lock_current(person, seen)
    role, organisation, funder = _role_fields(role, organisation, funder)
    before = person_access_text(current)
    if (current.role, current.organisation_id, current.funder_id) == (
        role,
        organisation.pk if organisation else None,
        funder.pk if funder else None,
    ):
        raise ValidationError({"role": "Nothing was changed: choose a different role, organisation or funder."})
    current.role, current.organisation, current.funder = role, organisation, funder
    current.full_clean()
    current.save(update_fields=["role", "organisation", "funder"])
    person_role_sync(current)
    return _record(
        current, kind=PersonChange.Kind.ROLE, by=by, reason=reason, before=before, after=person_access_text(current)
    )


def sessions_end(person: User) -> int:
    """End every session the person is signed in with (database sessions, the portal's engine): their next
    request is anonymous. Returns how many ended."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def person_deactivate(*, person: User, by, reason: str, seen: str | None = None) -> PersonChange:
    """Switch someone off at once: they cannot sign in, every session of theirs ends and their API token is
    deleted. Their records (returns, history) stay theirs."""
    reason = _require_reason(reason)
    current = _lock_current(person, seen)
    if not current.is_active:
        raise ValidationError("This person is already deactivated.", code="inactive")
    before = person_access_text(current)
    current.is_active = False
    current.save(update_fields=["is_active"])
    sessions_end(current)
    Token.objects.filter(user=current).delete()
    return _record(
        current,
        kind=PersonChange.Kind.DEACTIVATED,
        by=by,
        reason=reason,
        before=before,
        after=person_access_text(current),
    )


@transaction.atomic
def person_reactivate(*, person: User, by, reason: str, seen: str | None = None) -> PersonChange:
    """Let a deactivated person sign in again (with their password; their old API token is gone for good)."""
    reason = _require_reason(reason)
    current = _lock_current(person, seen)
    if current.is_active:
        raise ValidationError("This person is already active.", code="active")
    before = person_access_text(current)
    current.is_active = True
    current.save(update_fields=["is_active"])
    return _record(
        current,
        kind=PersonChange.Kind.REACTIVATED,
        by=by,
        reason=reason,
        before=before,
        after=person_access_text(current),
    )


@transaction.atomic
def person_two_factor_reset(*, person: User, by, reason: str) -> PersonChange:
    """For someone who lost their phone and their recovery codes: remove their authenticator and codes and end
    their sessions. At their next sign-in they set it up again (their role requires it) or sign in without it."""
    reason = _require_reason(reason)
    current = _lock_current(person, None)
    removed = second_factor_remove(user=current)
    if not removed:
        raise ValidationError("This person has no two-factor sign-in to reset.", code="none")
    sessions_end(current)
    return _record(current, kind=PersonChange.Kind.TWO_FACTOR_RESET, by=by, reason=reason)
