from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "teten.demo"
    label = "demo"
    verbose_name = "Demo data"
