from django.urls import path

from . import views_dialogue

app_name = "dialogue"

urlpatterns = [
    path("", views_dialogue.dialogue_list, name="dialogue_list"),
    path("<int:pk>/", views_dialogue.dialogue_detail, name="dialogue_detail"),
    path("<int:pk>/pakke.pdf", views_dialogue.dialogue_pdf, name="dialogue_pdf"),
]
