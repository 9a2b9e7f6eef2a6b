"""The light table's pages are filled to half on PostgreSQL (``fillfactor = 50``).

A bulk run rewrites every light it judges again when the judgement key moves (a rule set
switched: 1 M lights' ``judged_key`` in one UPDATE). With full pages each new row version goes
to another page and every index of the table gets an entry for it; with room on the page the
update stays on it (a heap-only tuple) and the indexes are left alone: measured on 1 M lights,
that UPDATE took 12.1 s with full pages and 4.3 s at half (docs/rules.md). The setting applies
to pages written from now on; ``VACUUM FULL monitoring_householdlight`` applies it at once.
SQLite has no such setting."""

from django.db import migrations


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_householdlight SET (fillfactor = 50)")


def fill_up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_householdlight RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0008_judged_key_in_two_halves")]

    operations = [migrations.RunPython(leave_room, fill_up)]
