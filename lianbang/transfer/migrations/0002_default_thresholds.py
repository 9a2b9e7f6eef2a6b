from decimal import Decimal

from django.db import migrations

# DOMAIN §8 defaults, stored so that an administrator sees and edits them in the admin.
DEFAULTS = [
    ("medical_security.priority", "医保：脱贫户和监测对象合规自付医疗费用", Decimal("5000")),
    ("medical_security.others", "医保：其他人员合规自付医疗费用", Decimal("20000")),
    ("education.expense", "教育：非义务教育阶段教育支出", Decimal("10000")),
]


def add_defaults(apps, schema_editor):
    ScreeningThreshold = apps.get_model("transfer", "ScreeningThreshold")
    for key, name, amount in DEFAULTS:
        ScreeningThreshold.objects.get_or_create(key=key, defaults={"name": name, "amount": amount})


class Migration(migrations.Migration):
    dependencies = [("transfer", "0001_screening_threshold")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
