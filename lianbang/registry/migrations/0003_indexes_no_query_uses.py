"""Indexes no query uses: region_code (a partition key), the single-column household_id and
unit_id ones a composite index leads with, the varchar_pattern_ops twin of id_number.

Altering a column's index makes Django drop every single-column index it finds on the column,
the partial unique ones of two constraints included, and not make them again: so the two
constraints on member.household_id and member.id_number are removed first and added after.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_indexes_no_query_uses'),
        ('registry', '0002_event_source_change_version'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='member', name='member_one_active_per_id'),
        migrations.RemoveConstraint(model_name='member', name='household_one_active_head'),
        migrations.AlterField(
            model_name='change',
            name='household',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='registry.household'),
        ),
        migrations.AlterField(
            model_name='change',
            name='region_code',
            field=models.CharField(max_length=6, verbose_name='区划代码'),
        ),
        migrations.AlterField(
            model_name='event',
            name='household',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='registry.household'),
        ),
        migrations.AlterField(
            model_name='event',
            name='region_code',
            field=models.CharField(max_length=6, verbose_name='区划代码'),
        ),
        migrations.AlterField(
            model_name='household',
            name='region_code',
            field=models.CharField(max_length=6, verbose_name='区划代码'),
        ),
        migrations.AlterField(
            model_name='household',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='households', to='org.unit', verbose_name='所属单位'),
        ),
        migrations.AlterField(
            model_name='income',
            name='household',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='incomes', to='registry.household'),
        ),
        migrations.AlterField(
            model_name='income',
            name='region_code',
            field=models.CharField(max_length=6, verbose_name='区划代码'),
        ),
        migrations.AlterField(
            model_name='member',
            name='household',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='registry.household'),
        ),
        migrations.AlterField(
            model_name='member',
            name='id_number',
            field=models.CharField(max_length=18, verbose_name='证件号码'),
        ),
        migrations.AlterField(
            model_name='member',
            name='region_code',
            field=models.CharField(max_length=6, verbose_name='区划代码'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='household',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='registry.household'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='region_code',
            field=models.CharField(max_length=6, verbose_name='区划代码'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['id_number'], name='member_id_number'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.UniqueConstraint(
                condition=models.Q(('status', 'active')), fields=('id_number',), name='member_one_active_per_id'
            ),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.UniqueConstraint(
                condition=models.Q(('relation', 'head'), ('status', 'active')),
                fields=('household',),
                name='household_one_active_head',
            ),
        ),
    ]
