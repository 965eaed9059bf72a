from django.apps import AppConfig


class VcsportalConfig(AppConfig):
    name = "vcsportal"
    verbose_name = "Portal users and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.policies import register
        from vcsportal import policies

        register(policies.POLICIES)
        from vcsportal.twofactor.services import DUE_SESSION_KEY, second_factor_due_at_sign_in

        def remember_whether_a_second_factor_is_due(sender, request, user, **kwargs):
            # Asked once at sign-in, so the gate costs no query on every request afterwards.
            if request is not None and hasattr(request, "session"):
                request.session[DUE_SESSION_KEY] = second_factor_due_at_sign_in(user)

        user_logged_in.connect(remember_whether_a_second_factor_is_due, dispatch_uid="second_factor_due")

        # The admin registered every app's admins when it became ready (it is first in INSTALLED_APPS).
        from django.contrib import admin

        from core.admin import refuse_huge_dates_in_date_hierarchies, seal_partnerships

        refuse_huge_dates_in_date_hierarchies(admin.site)
        seal_partnerships(admin.site)

        # A password change revokes the person's API token (vcsportal.api.tokens).
        from django.db.models.signals import post_save, pre_save

        from vcsportal.api.tokens import password_about_to_change, revoke_tokens_when_the_password_changed
        from vcsportal.models import User

        pre_save.connect(password_about_to_change, sender=User, dispatch_uid="api_token_password")
        post_save.connect(revoke_tokens_when_the_password_changed, sender=User, dispatch_uid="api_token_revoke")
