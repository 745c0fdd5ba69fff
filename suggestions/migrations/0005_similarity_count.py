"""The number of indexed suggestions kept as the df of the feature every suggestion has (""),
so that a lookup reads one row instead of counting the table."""

from django.db import migrations


def count_indexed(apps, schema_editor):
    SimilarityFeature = apps.get_model("suggestions", "SimilarityFeature")
    SimilarityProfile = apps.get_model("suggestions", "SimilarityProfile")
    SimilarityFeature.objects.update_or_create(feature="", defaults={"df": SimilarityProfile.objects.count()})


def forget_count(apps, schema_editor):
    apps.get_model("suggestions", "SimilarityFeature").objects.filter(feature="").delete()


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0004_similarity_index")]

    operations = [migrations.RunPython(count_indexed, forget_count)]
