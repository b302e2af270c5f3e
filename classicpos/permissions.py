"""The project-wide permissions the staff pages check, named once."""

# Lift a login lockout (``/accounts/lockouts/``): a Manager's call.
UNLOCK_LOGIN = "classicpos.unlock_login"
