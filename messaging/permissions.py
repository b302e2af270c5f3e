"""The messaging permissions every surface checks (pages, API, timeline), named once."""

VIEW_MESSAGE = "messaging.view_message"
EMAIL_RECEIPT = "messaging.email_receipt"
