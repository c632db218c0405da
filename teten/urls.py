from django.urls import include, path

urlpatterns = [
    path("", include("teten.core.urls")),
    path("", include("teten.accounts.urls")),
    path("borgere/", include("teten.citizens.urls")),
    path("revision/", include("teten.audit.urls")),
    path("projekter/", include("teten.programmes.urls")),
    path("penge/", include("teten.payments.urls")),
    path("regnskab/", include("teten.ledger.urls")),
    path("budgetter/", include("teten.budgets.urls")),
    path("mikrolaan/", include("teten.loans.urls")),
    path("dokumenter/", include("teten.documents.urls")),
    path("evidens/", include("teten.evidence.urls")),
    path("undersoegelser/", include("teten.surveys.urls")),
    path("mit/", include("teten.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
