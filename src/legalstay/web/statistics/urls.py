from django.urls import path

from legalstay.web.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.statistics_page, name="page"),
    path("report.html", views.report_download, name="report"),
    path("series.csv", views.series_download, {"output": "csv"}, name="series_csv"),
    path("series.json", views.series_download, {"output": "json"}, name="series_json"),
    path("import/", views.import_page, name="import"),
]
