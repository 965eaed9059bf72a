from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from core.paging import MAX_PAGE_SIZE, whole_number


class PortalPagination(PageNumberPagination):
    """Pages of 50 by default; ``page_size`` up to 500 (larger is capped) for analysts pulling a whole table.

    Paging values are read as the pages read them (``core.paging``), but where a page falls back to its default
    the API says what is wrong: a ``page`` or ``page_size`` that is not a whole number from 1, or a page past the
    last, is a 400 naming the parameter."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        number = whole_number(value)
        if number is None or number < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}, not {value[:40]!r}."
                    ]
                }
            )
        return min(number, self.max_page_size)

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if not value:
            return 1
        if value in self.last_page_strings:
            return paginator.num_pages
        number = whole_number(value)
        if number is None or number < 1:
            raise ValidationError({self.page_query_param: [f"Give a page number from 1, not {value[:40]!r}."]})
        return number

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        if number > paginator.num_pages:
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"Give a page number from 1 to {paginator.num_pages}, "
                        f"not {request.query_params[self.page_query_param][:40]!r}."
                    ]
                }
            )
        self.page = paginator.page(number)
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)
