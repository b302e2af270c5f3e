"""The one pagination style of the API: ``page`` and ``pageSize`` (at most 100)."""

from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Return ``{count, next, previous, results}`` pages of at most 100 rows.

    A ``pageSize`` above 100 is served as 100; one that is not a whole number of
    at least 1 is a 400 naming it (DRF would silently use the default); empty is
    not given. A page number past the last page, or not a number, is a 404.
    """

    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        try:
            size = int(value) if value.isascii() else 0
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Enter a whole number of at least 1."]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}); "
                    f"more than {self.max_page_size} is served as {self.max_page_size}."
                )
        return parameters
