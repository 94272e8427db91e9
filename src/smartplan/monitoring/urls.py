from django.urls import path

from smartplan.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("moje/", views.mine, name="mine"),
    path("plan/<slug:slug>/", views.dashboard, name="dashboard"),
    path("hodnota/<int:sub_id>/", views.measurement_add, name="measurement-add"),
    path("mereni/<int:pk>/", views.measurement_edit, name="measurement-edit"),
]
