"""Renderers shared by every app's API."""

from rest_framework import renderers


class CsvRenderer(renderers.BaseRenderer):
    """Lets ``Accept: text/csv`` reach a view that answers with its own CSV response.

    Anything else rendered through it is an error's problem document: JSON.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data, renderer_context=renderer_context)
