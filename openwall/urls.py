from django.urls import path

from . import exports, views

app_name = "openwall"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("new/", views.issue_create, name="issue_create"),
    path("similar/", views.issue_similar, name="issue_similar"),
    path("map/", views.issue_map, name="map"),
    path("<int:pk>/translate/<str:language>/", views.issue_translate, name="issue_translate"),
    path("<int:pk>/translate/<str:language>/accept/", views.translation_accept, name="translation_accept"),
    path("map.json", views.issue_map_points, name="map_points"),
    path("board/", views.board, name="board"),
    path("meetups/", views.meetup_list, name="meetup_list"),
    path("meetups/<int:pk>/", views.meetup_detail, name="meetup_detail"),
    path("meetups/<int:pk>/register/", views.meetup_rsvp, name="meetup_rsvp"),
    path("meetups/<int:pk>/meetup.ics", views.meetup_ics, name="meetup_ics"),
    path("meetups/<int:pk>/issues/", views.meetup_record_issue, name="meetup_record_issue"),
    path("meetups/<int:pk>/issues/pick/", views.meetup_issue_pick, name="meetup_issue_pick"),
    path("meetups/<int:pk>/tally/", views.meetup_tally, name="meetup_tally"),
    path("meetups/<int:pk>/attendance/", views.meetup_attendance, name="meetup_attendance"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.json", exports.export_json, name="export_json"),
    path("themes/<slug:slug>/feed/", exports.TopicFeed(), name="topic_feed"),
    path("<int:pk>/prioritise/", views.prioritise, name="prioritise"),
    path("<int:pk>/prioritise/undo/", views.prioritise_undo, name="prioritise_undo"),
    path("<int:pk>/poster/", views.poster, name="poster"),
    path("<int:pk>/qr.svg", views.qr_code, name="qr_code"),
    path("themes/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("<int:pk>/", views.issue_detail, name="issue_detail"),
    path("<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("<int:pk>/report/", views.flag, name="issue_flag"),
    path("comments/<int:comment_pk>/report/", views.flag, name="comment_flag"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment_remove"),
]
