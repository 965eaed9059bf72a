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
