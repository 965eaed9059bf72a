from django.urls import path

from districts import views

app_name = "districts"

urlpatterns = [
    path("", views.DistrictListView.as_view(), name="list"),
    path("<slug:slug>/", views.DistrictDetailView.as_view(), name="detail"),
    path("<slug:slug>/notes/", views.NegotiationNoteAddView.as_view(), name="add_note"),
]
