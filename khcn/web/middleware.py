class VietnameseFirstMiddleware:
    """The interface is Vietnamese unless the user chose English with the switch.

    Many office computers run an English browser; Django would follow their
    Accept-Language header. Dropping it leaves the language cookie (set by the
    switch) or LANGUAGE_CODE ("vi").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
