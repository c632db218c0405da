from django.urls import path

from teten.payments.views import batches, citizen, payments, pools, reconciliation

app_name = "payments"
urlpatterns = [
    path("", pools.pool_overview, name="pools"),
    path("puljer/ny/", pools.pool_edit, name="pool_create"),
    path("puljer/<int:source_id>/", pools.pool_edit, name="pool_edit"),
    path("disponeringer/<int:commitment_id>/", payments.commitment_detail, name="commitment"),
    path("udbetalinger/", payments.payment_list, name="payment_list"),
    path("udbetalinger/<int:payment_id>/igen/", payments.payment_reissue, name="payment_reissue"),
    path("udbetalinger/<int:payment_id>/annuller/", payments.payment_cancel, name="payment_cancel"),
    path("bundter/", batches.batch_list, name="batches"),
    path("bundter/<int:batch_id>/", batches.batch_detail, name="batch"),
    path("bundter/<int:batch_id>/godkend/", batches.batch_approve, name="batch_approve"),
    path("bundter/<int:batch_id>/send/", batches.batch_export, name="batch_export"),
    path("bundter/<int:batch_id>/fjern/<int:payment_id>/", batches.batch_remove, name="batch_remove"),
    path("bundter/<int:batch_id>/betalingsliste/", batches.batch_file, {"kind": "csv"}, name="batch_csv"),
    path("bundter/<int:batch_id>/posteringer/", batches.batch_file, {"kind": "posting"}, name="batch_postings"),
    path("afstemning/", reconciliation.reconciliation_upload, name="reconcile"),
    path("afstemning/<int:reconciliation_id>/", reconciliation.reconciliation_detail, name="reconciliation"),
    path("borger/<int:citizen_id>/", citizen.citizen_money, name="citizen_money"),
    path("borger/<int:citizen_id>/krav/", citizen.claim_new, name="claim_create"),
    path("krav/<int:claim_id>/indbetaling/", citizen.claim_entry, {"kind": "payment"}, name="claim_payment"),
    path("krav/<int:claim_id>/afskrivning/", citizen.claim_entry, {"kind": "write_off"}, name="claim_write_off"),
]
