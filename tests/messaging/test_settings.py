"""Email settings come from the environment; without a mail server, messages are files."""

from tests.test_settings_env import settings_value as production_value


def settings_value(expression: str, **env):
    return production_value(expression, DEBUG="true", **env)


def test_without_email_host_messages_are_written_under_var_mail():
    result = settings_value("s.EMAIL_BACKEND, str(s.EMAIL_FILE_PATH).endswith('var/mail')")
    assert result.stdout.strip() == (
        "('django.core.mail.backends.filebased.EmailBackend', True)"
    ), result.stderr


def test_email_host_and_the_rest_come_from_the_environment():
    result = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD,"
        " s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL",
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="shop",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="true",
        DEFAULT_FROM_EMAIL="Shop <receipts@shop.example>",
    )
    assert result.stdout.strip() == repr(
        (
            "django.core.mail.backends.smtp.EmailBackend",
            "smtp.example.com",
            2525,
            "shop",
            "secret",
            True,
            "Shop <receipts@shop.example>",
        )
    ), result.stderr


def test_a_bad_port_stops_start_up_naming_it():
    result = settings_value("s.EMAIL_PORT", EMAIL_PORT="smtp")
    assert result.returncode != 0
    assert "EMAIL_PORT" in result.stderr
