"""Stored answers record the objects they name; the answers stored before are tagged too.

The tagging rules are copied here as they stood (a migration must not change
with the code): the object in the path and in ``Location``, and the ids under
``customerId``, ``duplicateId`` and ``leadId`` in the stored answer (the
request's body was never stored).
"""

import re
from urllib.parse import urlsplit

from django.db import migrations, models

RESOURCE_PATH = re.compile(r"^/api/(?P<resource>[a-z][a-z0-9-]*)/(?P<id>\d+)(?:/|$)")
REFERENCE_KEYS = {"customerId": "customers", "duplicateId": "customers", "leadId": "leads"}


def _referenced(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if key in REFERENCE_KEYS and isinstance(value, int) and not isinstance(value, bool):
                yield REFERENCE_KEYS[key], value
            else:
                yield from _referenced(value)
    elif isinstance(data, list):
        for item in data:
            yield from _referenced(item)


def tag_stored_answers(apps, schema_editor):
    IdempotencyRecord = apps.get_model("classicpos", "IdempotencyRecord")
    for record in IdempotencyRecord.objects.exclude(response_status=None).iterator():
        subjects = set(_referenced(record.response_body))
        for url in (record.path, urlsplit(record.response_location).path):
            match = RESOURCE_PATH.match(url)
            if match:
                subjects.add((match["resource"], int(match["id"])))
        tags = "".join(f" {resource}:{object_id} " for resource, object_id in sorted(subjects))
        IdempotencyRecord.objects.filter(pk=record.pk).update(subjects=tags)


class Migration(migrations.Migration):
    dependencies = [
        ("classicpos", "0002_idempotency_reservation"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="subjects",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(tag_stored_answers, migrations.RunPython.noop),
    ]
