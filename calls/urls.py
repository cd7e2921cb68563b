from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/propose/", views.proposal_create, name="proposal_create"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/autosave/", views.proposal_autosave, name="proposal_autosave"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/versions/", views.proposal_versions, name="proposal_versions"),
    path("proposals/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("proposals/<int:pk>/files/<int:file_pk>/", views.attachment_download, name="attachment"),
    path("proposals/<int:pk>/files/<int:file_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/files/<int:number>/", views.review_attachment, name="review_attachment"),
    path("reviews/<int:pk>/conflict/", views.review_conflict, name="review_conflict"),
    path("<int:pk>/ranking/", views.ranking_table, name="ranking"),
    path("<int:pk>/review-invitation/<str:token>/", views.reviewer_join, name="reviewer_join"),
]
