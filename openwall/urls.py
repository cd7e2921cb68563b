from django.urls import path

from . import views

app_name = "openwall"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("new/", views.issue_create, name="issue_create"),
    path("similar/", views.issue_similar, name="issue_similar"),
    path("themes/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("<int:pk>/", views.issue_detail, name="issue_detail"),
    path("<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment_remove"),
]
